package io.shardprop.job.data;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.data.MalformedFileException;
import io.shardprop.core.data.Streams;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.train.LocalSteps;
import io.shardprop.job.io.BlasLog;
import io.shardprop.job.io.SerializableConf;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An images/labels pair as an RDD of {@link Block}s: fixed-size groups of consecutive samples (the last
 * one may be shorter), whose boundaries depend only on the sample count and the block size. Only the block <em>ranges</em> are sent from the driver; each partition reads
 * its own byte ranges of the IDX files through Hadoop {@code FileSystem} and builds its blocks once.
 */
public final class Blocks {

    private Blocks() {
    }

    /**
     * The blocks of {@code images}/{@code labels}, spread over {@code partitions} (consecutive blocks per
     * partition), persisted in memory (spilling to disk) but not yet computed.
     */
    public static JavaRDD<Block> load(JavaSparkContext sc, IdxFile images, IdxFile labels, int blockSize,
                                      int partitions, String name) {
        return load(sc, images, labels, blockSize, partitions, Precision.FLOAT64, name);
    }

    /** As {@link #load(JavaSparkContext, IdxFile, IdxFile, int, int, String)}, with inputs in {@code precision}. */
    public static JavaRDD<Block> load(JavaSparkContext sc, IdxFile images, IdxFile labels, int blockSize,
                                      int partitions, Precision precision, String name) {
        List<List<Block.Range>> groups = Block.ranges(images.header().count(), blockSize).stream().map(List::of).toList();
        return cache(sc, images, labels, groups, Math.min(partitions, groups.size()), precision,
                name + " blocks (" + images.header().count() + " samples, " + blockSize + " per block, " + precision.id() + ")");
    }

    /**
     * As {@link #load(JavaSparkContext, IdxFile, IdxFile, int, int, Precision, String)}, laid out for local
     * steps: block {@code b} belongs to replica {@code b mod replicas} and every partition holds whole replicas
     * (at most {@code replicas} partitions), so that a task can run its replicas' steps alone.
     */
    public static JavaRDD<Block> loadReplicas(JavaSparkContext sc, IdxFile images, IdxFile labels, int blockSize,
                                              int partitions, int replicas, Precision precision, String name) {
        List<List<Block.Range>> shards = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            shards.add(new ArrayList<>());
        }
        for (Block.Range range : Block.ranges(images.header().count(), blockSize)) {
            shards.get(LocalSteps.replicaOf(range.index(), replicas)).add(range);
        }
        return cache(sc, images, labels, shards, Math.max(1, Math.min(partitions, replicas)), precision,
                name + " blocks (" + images.header().count() + " samples, " + blockSize + " per block, " + replicas
                        + " replicas, " + precision.id() + ")");
    }

    /** Groups of ranges that stay together, spread over {@code slices} partitions in order, read there and cached. */
    private static JavaRDD<Block> cache(JavaSparkContext sc, IdxFile images, IdxFile labels,
                                        List<List<Block.Range>> groups, int slices, Precision precision, String name) {
        Broadcast<SerializableConf> conf = SerializableConf.broadcast(sc);
        int pixels = images.header().rows() * images.header().cols();
        JavaRDD<Block> blocks = sc.parallelize(groups, slices).mapPartitions(it -> {
            List<Block.Range> mine = new ArrayList<>();
            it.forEachRemaining(mine::addAll);
            return read(mine.iterator(), conf, images, labels, pixels, precision);
        });
        blocks.setName(name);
        return blocks.persist(StorageLevel.MEMORY_AND_DISK());
    }

    private static Iterator<Block> read(Iterator<Block.Range> ranges, Broadcast<SerializableConf> conf, IdxFile images,
                                        IdxFile labels, int pixels, Precision precision) throws IOException {
        BlasLog.executorOnce();
        List<Block> out = new ArrayList<>();
        long bytes = 0;
        try (RangeReader img = new RangeReader(conf.value(), images); RangeReader lab = new RangeReader(conf.value(), labels)) {
            while (ranges.hasNext()) {
                Block.Range r = ranges.next();
                byte[] px = img.read((long) r.first() * pixels, r.rows() * pixels);
                byte[] y = lab.read(r.first(), r.rows());
                for (int i = 0; i < y.length; i++) {
                    if (y[i] < 0 || y[i] > 9) {
                        throw new MalformedFileException(labels.name(), "label " + (y[i] & 0xff) + " at index "
                                + (r.first() + i) + " is outside 0-9");
                    }
                }
                try {
                    out.add(new Block(r.index(), r.first(), Batch.fromBytes(px, pixels, y, 0, r.rows(), precision)));
                } catch (OutOfMemoryError e) {
                    // the one large allocation of a partition: say what ran out and what to change, not a stack trace
                    throw new IllegalStateException(String.format("out of memory building block %d after %d MB of "
                            + "blocks in this partition (%d MB more needed): raise spark.executor.memory "
                            + "(%d bytes x %d values per sample), use more --partitions or a smaller --block-size",
                            r.index(), bytes >> 20,
                            (long) r.rows() * (pixels + 1) * precision.bytes() >> 20, precision.bytes(), pixels + 1));
                }
                bytes += (long) r.rows() * (pixels + 1) * precision.bytes();
            }
        }
        return out.iterator();
    }

    /** Reads payload ranges in increasing order: seeks in plain files, decompresses forward in gzipped ones. */
    static final class RangeReader implements Closeable {
        private final SerializableConf conf;
        private final IdxFile file;
        private FSDataInputStream raw;
        private InputStream in;
        private long position; // payload offset of the next byte of `in` (gzip only)

        RangeReader(SerializableConf conf, IdxFile file) {
            this.conf = conf;
            this.file = file;
        }

        byte[] read(long offset, int length) throws IOException {
            if (raw == null) {
                Path p = new Path(file.uri());
                raw = p.getFileSystem(conf.get()).open(p);
                in = file.gzip() ? Streams.openMaybeGzip(raw, file.name()) : raw;
                position = -file.header().headerBytes();
            }
            if (file.gzip()) {
                if (offset < position) {
                    throw new IllegalStateException("ranges must be read in increasing order");
                }
                in.skipNBytes(offset - position);
                position = offset + length;
            } else {
                raw.seek(file.header().headerBytes() + offset);
            }
            return Streams.readExactly(in, length, file.name(), "samples at offset " + offset);
        }

        @Override
        public void close() throws IOException {
            if (raw != null) {
                raw.close();
            }
        }
    }
}
