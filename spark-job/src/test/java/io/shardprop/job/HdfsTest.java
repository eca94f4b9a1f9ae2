package io.shardprop.job;

import io.shardprop.job.io.HadoopFs;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hadoop paths for real: Hadoop's own in-process HDFS (a NameNode and a DataNode in this JVM, on loopback),
 * with {@code train} reading IDX files from {@code hdfs://} and writing its {@code --out} there, then
 * {@code evaluate} and {@code predict} reading that run.
 */
class HdfsTest extends SparkTestBase {

    @TempDir
    static java.nio.file.Path tmp;
    static MiniDFSCluster hdfs;
    static String root;

    @BeforeAll
    static void startHdfs() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("hdfs").toString());
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        root = hdfs.getFileSystem().getUri().toString();
        java.nio.file.Path data = TinyMnist.write(Files.createDirectory(tmp.resolve("data")), 80, 30, 2, true);
        FileSystem fs = hdfs.getFileSystem();
        fs.copyFromLocalFile(new Path(data.toUri()), new Path(root + "/data"));
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }

    @Test
    void trainEvaluateAndPredictOnHdfs() throws IOException {
        String out = root + "/runs/tiny";
        assertEquals(0, Main.run("train", "--data", root + "/data", "--out", out, "--epochs", "2", "--hidden", "8",
                "--loss", "xent", "--lr", "0.05", "--batch-size", "20", "--checkpoint-every", "1"));
        HadoopFs fs = new HadoopFs(hdfs.getFileSystem().getConf());
        assertTrue(fs.isFile(out + "/model/model.json") && fs.isFile(out + "/_SUCCESS"), "the run is on HDFS");
        assertTrue(fs.isFile(out + "/checkpoints/epoch-0002/checkpoint.json"));
        String metrics = new String(fs.readAll(out + "/metrics.csv"), StandardCharsets.UTF_8);
        assertEquals(3, metrics.strip().lines().count(), metrics);
        assertEquals(0, Main.run("evaluate", "--model", out, "--data", root + "/data"));
        assertTrue(fs.isFile(out + "/evaluation/evaluation.json"));
        assertEquals(0, Main.run("predict", "--model", out, "--images", root + "/data/t10k-images-idx3-ubyte.gz",
                "--out", root + "/pred.csv"));
        assertTrue(fs.list(root + "/pred.csv").contains("_SUCCESS"));
        assertEquals(0, Main.run("train", "--data", root + "/data", "--out", out, "--epochs", "3", "--hidden", "8",
                "--loss", "xent", "--lr", "0.05", "--batch-size", "20", "--checkpoint-every", "1", "--resume"));
        metrics = new String(fs.readAll(out + "/metrics.csv"), StandardCharsets.UTF_8);
        assertEquals(4, metrics.strip().lines().count(), metrics);
    }
}
