package io.shardprop.job.cli;

import io.shardprop.core.exact.ExactSumException;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.train.BlockFailure;
import io.shardprop.job.Main;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.data.IdxFile;
import io.shardprop.job.error.Failure;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.train.SparkData;
import io.shardprop.job.testing.MainRun;
import io.shardprop.job.testing.TinyData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures found on executors read like those found on the driver (one line, the right exit code), a failed
 * run leaves what it finished and a {@code _FAILED} marker, and {@code --resume} refuses other options.
 */
class FailuresThroughSparkTest extends SparkTestBase {

    @TempDir
    static Path dir;
    @TinyData(train = 60, test = 20, seed = 4)
    static Path data;

    @Test
    void aLabelOutOfRangeFoundOnAnExecutorIsBadInput() throws IOException {
        Path d = Files.createDirectory(dir.resolve("label12"));
        Files.copy(data.resolve("train-images-idx3-ubyte"), d.resolve("train-images-idx3-ubyte"));
        byte[] labels = Files.readAllBytes(data.resolve("train-labels-idx1-ubyte"));
        labels[8 + 45] = 12;
        Files.write(d.resolve("train-labels-idx1-ubyte"), labels);
        HadoopFs fs = new HadoopFs(sc.hadoopConfiguration());
        // IdxFile.open reads headers only, as if the driver's check of the labels had been skipped
        IdxFile images = IdxFile.open(fs, d.resolve("train-images-idx3-ubyte").toUri().toString());
        IdxFile bad = IdxFile.open(fs, d.resolve("train-labels-idx1-ubyte").toUri().toString());
        Exception e = assertThrows(Exception.class, () -> SparkData.load(sc, images, bad, 20, 2,
                Mlp.seed(8), Precision.FLOAT64, "training"));
        assertTrue(e.getClass().getName().startsWith("org.apache.spark"), "it failed in a task: " + e);
        Failure f = Failure.of(e);
        assertEquals(2, f.exitCode(), f.message());
        assertEquals("train-labels-idx1-ubyte: label 12 at index 45 is outside 0-9", f.message());
    }

    @Test
    void anOverflowOnAnExecutorIsADivergence() {
        Exception e = assertThrows(Exception.class, () -> sc.parallelize(List.of(1, 2), 2).foreach(x -> {
            throw new ExactSumException(0, "3.2E25 is too large: |x| must be below 2^80");
        }));
        Failure f = Failure.of(e);
        assertEquals(1, f.exitCode(), f.message());
        assertTrue(f.message().startsWith("failed: a sum overflowed (component 0: 3.2E25 is too large")
                && f.message().endsWith("try a lower --lr"), f.message());
    }

    @Test
    void aBlockFailureOnAnExecutorArrivesWithItsBlockIndex() {
        Exception e = assertThrows(Exception.class, () -> sc.parallelize(List.of(1, 2), 2).foreach(x -> {
            throw new BlockFailure(7, "gradient component 0: 3.2E25 is too large: |x| must be below 2^80",
                    new ExactSumException(0, "3.2E25 is too large: |x| must be below 2^80"));
        }));
        assertTrue(e.getClass().getName().startsWith("org.apache.spark"), "it failed in a task: " + e);
        assertEquals(7, BlockFailure.in(e).orElseThrow().block(), "read from the type, through Spark's wrapping");
        Failure f = Failure.of(e);
        assertEquals(1, f.exitCode(), f.message());
        assertTrue(f.message().startsWith("failed: a sum overflowed (component 0: 3.2E25 is too large"), f.message());
    }

    @Test
    void divergenceOnSparkKeepsTheMetricsAndCheckpointsAndMarksTheRunFailed() throws IOException {
        Path out = dir.resolve("diverged");
        MainRun o = MainRun.of("train", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "5", "--lr", "1e300", "--checkpoint-every", "1");
        assertEquals(1, o.code(), o.err());
        String line = o.err().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("shardprop train: failed: epoch 2 step 1: the loss is not finite (last finite loss ")
                && line.contains("try a lower --lr"), line);
        assertTrue(Files.readString(out.resolve("_FAILED")).startsWith("failed: epoch 2 step 1: the loss is not finite"));
        assertTrue(Files.isDirectory(out.resolve("checkpoints/epoch-0001")), "the last good checkpoint stays");
        assertEquals(2, Files.readAllLines(out.resolve("metrics.csv")).size(), "the header and epoch 1");
        assertTrue(Files.notExists(out.resolve("model")), "no model folder, empty or not");
        assertTrue(Files.notExists(out.resolve("_RUNNING")) && Files.notExists(out.resolve("_SUCCESS")));
    }

    @Test
    void resumeRefusesOtherOptionsAndAFinishedRun() throws IOException {
        Path out = dir.resolve("resumable");
        String[] base = {"train", "--data", data.toString(), "--out", out.toString(), "--loss", "xent",
            "--batch-size", "20", "--checkpoint-every", "1"};
        String[] same = {"--hidden", "8", "--optimizer", "momentum", "--lr", "0.05"};
        assertEquals(0, Main.run(with(with(base, same), "--epochs", "2")));
        MainRun o = MainRun.of(with(base, "--epochs", "3", "--resume", "--hidden", "9", "--lr", "0.1",
                "--optimizer", "momentum"));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("epoch-0002 was written with other options: --lr 0.1 (the run: 0.05), --hidden 9 "
                + "(the run: 8); a resumed run must repeat them (only --epochs may grow)"), o.err());
        o = MainRun.of(with(base, "--epochs", "3", "--resume", "--optimizer", "adam", "--hidden", "8",
                "--lr", "0.05"));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--optimizer adam (the run: momentum)")
                && o.err().contains("--beta1 0.9 (the run: not used)")
                && o.err().contains("--momentum (not used now) (the run: 0.9)"), o.err());
        o = MainRun.of(with(with(base, same), "--epochs", "2", "--resume"));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("the run has already trained 2 epochs") && o.err().contains("pass a larger --epochs"),
                o.err());
        assertEquals(0, Main.run(with(with(base, same), "--epochs", "3", "--resume")));
        assertEquals(4, Files.readAllLines(out.resolve("metrics.csv")).size());
        assertTrue(Files.exists(out.resolve("_SUCCESS")) && Files.exists(out.resolve("model/model.json")));
    }

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
