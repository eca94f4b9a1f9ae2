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
 * {@code evaluate} and {@code predict} reading that run; and the accidents of a cluster's file system: a namespace
 * quota reached and the DataNode stopped mid-run, each ending in one line, then resumed to the uninterrupted weights.
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

    private static final String[] RUN = {"--data", null, "--epochs", "12", "--hidden", "8", "--loss", "xent", "--lr",
        "0.05", "--batch-size", "20", "--checkpoint-every", "1"};

    private static int train(String out, String... more) {
        String[] run = RUN.clone();
        run[1] = root + "/data";
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--out", out));
        args.addAll(java.util.List.of(run));
        args.addAll(java.util.List.of(more));
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.run(new java.io.PrintWriter(err, true), args.toArray(String[]::new));
        lastErr = err.toString();
        return code;
    }

    private static String lastErr = "";

    private static String hash(String run) throws IOException {
        HadoopFs fs = new HadoopFs(hdfs.getFileSystem().getConf());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(fs.readAll(run + "/model/model.json"))
                .get("weights").get("sha256").asText();
    }

    private static String reference() throws IOException {
        String ref = root + "/reference";
        if (!hdfs.getFileSystem().exists(new Path(ref + "/_SUCCESS"))) {
            assertEquals(0, train(ref), lastErr);
        }
        return hash(ref);
    }

    /** After a failed run: --resume from its newest checkpoint, or --overwrite when it has none. */
    private static void recover(String out) {
        if (train(out, "--resume") != 0) {
            assertTrue(lastErr.contains("--resume: no complete checkpoint"), lastErr);
            assertEquals(0, train(out, "--overwrite"), lastErr);
        }
    }

    @Test
    void aNamespaceQuotaEndsTheRunInOneLineAndResumeReachesTheSameWeights() throws Exception {
        String expected = reference();
        org.apache.hadoop.hdfs.DistributedFileSystem dfs = hdfs.getFileSystem();
        long names = dfs.getContentSummary(new Path(root + "/reference")).getFileAndDirectoryCount();
        Path quota = new Path(root + "/quota");
        dfs.mkdirs(quota);
        dfs.setQuota(quota, names / 2, org.apache.hadoop.hdfs.protocol.HdfsConstants.QUOTA_DONT_SET);
        String out = quota + "/run";
        assertEquals(1, train(out), lastErr);
        assertEquals(1, lastErr.strip().lines().count(), lastErr);
        assertTrue(lastErr.contains("quota exceeded writing hdfs://") && lastErr.contains("NSQuotaExceededException"),
                lastErr);
        for (org.apache.hadoop.fs.FileStatus st : dfs.listStatus(new Path(out + "/checkpoints"))) {
            assertTrue(!st.getPath().getName().endsWith(".tmp"), "the failed checkpoint is gone: " + st.getPath());
        }
        dfs.setQuota(quota, org.apache.hadoop.hdfs.protocol.HdfsConstants.QUOTA_RESET,
                org.apache.hadoop.hdfs.protocol.HdfsConstants.QUOTA_DONT_SET);
        recover(out);
        assertEquals(expected, hash(out));
    }

    @Test
    void theDataNodeStoppedMidRunEndsItInOneLineAndResumeReachesTheSameWeights() throws Exception {
        String expected = reference();
        String out = root + "/stopped";
        FileSystem fs = hdfs.getFileSystem();
        java.util.concurrent.atomic.AtomicReference<MiniDFSCluster.DataNodeProperties> stopped =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread stopper = new Thread(() -> {
            try {
                while (!fs.exists(new Path(out + "/checkpoints/epoch-0002"))) {
                    Thread.sleep(5);
                }
                stopped.set(hdfs.stopDataNode(0));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopper.start();
        int code = train(out);
        stopper.join();
        assertEquals(1, code, lastErr);
        assertEquals(1, lastErr.strip().lines().count(), lastErr);
        assertTrue(lastErr.contains("failed: "), lastErr);
        hdfs.restartDataNode(stopped.get(), true);
        hdfs.waitActive();
        recover(out);
        assertEquals(expected, hash(out));
    }
}
