package io.shardprop.job.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * A Hadoop {@link Configuration} that travels to the executors (Configuration is Writable, not Serializable).
 * Send it as a broadcast ({@link #broadcast}), as Spark's own {@code HadoopRDD} does: a cached RDD keeps
 * its lineage, and a Configuration captured in a closure would be serialized into every later job's tasks.
 */
public final class SerializableConf implements Serializable {

    /** The context's Hadoop configuration, broadcast once: tasks carry only the handle. */
    public static Broadcast<SerializableConf> broadcast(JavaSparkContext sc) {
        return sc.broadcast(new SerializableConf(sc.hadoopConfiguration()));
    }

    private transient Configuration conf;

    public SerializableConf(Configuration conf) {
        this.conf = conf;
    }

    public Configuration get() {
        return conf;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        conf = new Configuration(false);
        conf.readFields(in);
    }
}
