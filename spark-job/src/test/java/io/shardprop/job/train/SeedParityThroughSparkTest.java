package io.shardprop.job.train;

import io.shardprop.core.io.NpyArray;
import io.shardprop.core.testing.RealData;
import io.shardprop.job.Main;
import io.shardprop.job.SparkTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The golden notebook run through {@code Main train} on {@code local[2]}: 50 full-batch epochs on the real
 * MNIST from the golden initial weights, read back from the metrics.csv and .npy files the run writes.
 */
class SeedParityThroughSparkTest extends SparkTestBase {

    @Test
    void mainTrainReproducesTheNotebook(@TempDir Path tmp) throws java.io.IOException {
        Path golden = RealData.golden("seed-parity");
        Path out = tmp.resolve("run");
        int code = Main.run("train", "--data", RealData.mnistDir().toString(), "--init-weights", golden.toString(),
                "--epochs", "50", "--lr", "1e-5", "--loss", "seed", "--partitions", "2", "--out", out.toString());
        assertEquals(0, code);
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        for (String file : new String[]{"curves.png", "confusion.png", "mistakes.png", "confusion.csv"}) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }

        List<double[]> want = RealData.csv(golden.resolve("epochs.csv"));
        List<double[]> got = RealData.csv(out.resolve("metrics.csv"));
        assertEquals(50, got.size());
        for (int e = 0; e < 50; e++) {
            assertEquals(e + 1, (int) got.get(e)[0]);
            assertEquals(want.get(e)[1], got.get(e)[1], 1e-7 * want.get(e)[1], "loss at epoch " + e);
            assertEquals(want.get(e)[2] * 60000, got.get(e)[2] * 60000, 5, "accuracy at epoch " + e);
        }
        double[] test = RealData.csv(golden.resolve("test.csv")).get(0);
        double[] last = got.get(49);
        assertEquals(test[0], last[3], 1e-7 * test[0], "test loss");
        assertEquals(test[1] * 10000, last[4] * 10000, 5, "test accuracy");

        for (String w : new String[]{"W1", "W2"}) {
            NpyArray ours = RealData.npy(out.resolve("model").resolve(w + ".npy"));
            NpyArray theirs = RealData.npy(golden.resolve(w + "_final.npy"));
            assertEquals(theirs.rows(), ours.rows());
            assertEquals(theirs.cols(), ours.cols());
            double diff = 0;
            double scale = 0;
            for (int i = 0; i < ours.data().length; i++) {
                diff = Math.max(diff, Math.abs(ours.data()[i] - theirs.data()[i]));
                scale = Math.max(scale, Math.abs(theirs.data()[i]));
            }
            assertTrue(diff / scale <= 1e-7, w + ": max |ΔW| / max |W| = " + diff / scale);
        }
    }
}
