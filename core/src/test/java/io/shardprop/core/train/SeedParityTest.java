package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.io.NpyArray;
import io.shardprop.core.linalg.Blas;
import io.shardprop.core.linalg.Mat;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.Sgd;
import io.shardprop.core.testing.RealData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notebook's 50-epoch run on the real MNIST, against the numpy golden run
 * ({@code golden/seed-parity} in the test resources, made by {@code scripts/golden.py}): losses to a relative
 * 1e-7, accuracies within 5 samples, weights to 1e-7 of their largest magnitude.
 */
class SeedParityTest {

    static final Layout LAYOUT = Layout.mnist(100);

    static double[] goldenParams(Path dir, String suffix) {
        NpyArray w1 = RealData.npy(dir.resolve("W1" + suffix + ".npy"));
        NpyArray w2 = RealData.npy(dir.resolve("W2" + suffix + ".npy"));
        double[] flat = new double[LAYOUT.paramCount()];
        System.arraycopy(w1.data(), 0, flat, 0, w1.data().length);
        System.arraycopy(w2.data(), 0, flat, w1.data().length, w2.data().length);
        return flat;
    }

    @Test
    void normalInitWithSeed0DrawsNumpysWeights() {
        double[] numpy = goldenParams(RealData.golden("seed-parity"), "");
        double[] ours = Init.normal(LAYOUT, 0);
        int differ = 0;
        for (int i = 0; i < numpy.length; i++) {
            if (numpy[i] != ours[i]) {
                differ++;
                assertEquals(numpy[i], ours[i], 4 * Math.ulp(numpy[i]), "a few ulps at most, index " + i);
            }
        }
        assertTrue(differ <= numpy.length / 1000, differ + " of " + numpy.length + " deviates differ");
    }

    @Test
    void fullBatchTrainingReproducesTheNotebook() throws Exception {
        Path golden = RealData.golden("seed-parity");
        Batch train = RealData.mnist("train");
        Batch test = RealData.mnist("t10k");
        double[] params = goldenParams(golden, "");
        List<EpochMetrics> epochs = new ArrayList<>();
        Mlp model = new Mlp(LAYOUT, io.shardprop.core.model.Loss.SEED);
        // one block: the whole training set in one product, as the notebook computes it
        new Trainer(model.loss(), LrSchedule.constant(1e-5), 50, 0, 0)
                .train(params, new Sgd(params.length, 0, 0), 1, new LocalData(model, train, train.size()), null, (m, p) -> epochs.add(m));

        List<double[]> expected = RealData.csv(golden.resolve("epochs.csv"));
        assertEquals(expected.size(), epochs.size());
        for (int e = 0; e < epochs.size(); e++) {
            EpochMetrics m = epochs.get(e);
            double[] g = expected.get(e);
            assertEquals(g[1], m.trainLoss(), 1e-7 * g[1], "loss at epoch " + e);
            assertEquals(g[2] * train.size(), m.trainAccuracy() * train.size(), 5, "accuracy at epoch " + e);
        }
        double[] want = goldenParams(golden, "_final");
        assertTrue(relativeMaxDiff(LAYOUT.weight(0, params), LAYOUT.weight(0, want)) <= 1e-7, "final W1");
        assertTrue(relativeMaxDiff(LAYOUT.weight(1, params), LAYOUT.weight(1, want)) <= 1e-7, "final W2");

        Stats t = new LocalData(model, test, test.size()).evaluate(params);
        double[] gt = RealData.csv(golden.resolve("test.csv")).get(0);
        assertEquals(gt[0], t.loss(), 1e-7 * gt[0], "test loss");
        assertEquals(gt[1] * test.size(), t.accuracy() * test.size(), 5, "test accuracy");

        double[] seconds = epochs.stream().mapToDouble(EpochMetrics::seconds).sorted().toArray();
        System.out.printf("seed parity: %d epochs on %d images, median epoch %.3f s (%s), final loss %.6f, "
                        + "test accuracy %.4f%n", epochs.size(), train.size(), seconds[seconds.length / 2],
                Blas.implementation(), epochs.get(epochs.size() - 1).trainLoss(), t.accuracy());
    }

    /** max |a − b| / max |b|. */
    static double relativeMaxDiff(Mat a, Mat b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                diff = Math.max(diff, Math.abs(a.get(i, j) - b.get(i, j)));
                scale = Math.max(scale, Math.abs(b.get(i, j)));
            }
        }
        return diff / scale;
    }

    @Test
    void relativeMaxDiffSeesADifference() {
        Mat a = Mat.of(1, 2, 1, 2);
        assertEquals(0.25, relativeMaxDiff(Mat.of(1, 2, 1, 2.5), a), 1e-15);
        assertEquals(0.0, relativeMaxDiff(a, Mat.of(1, 2, a.toArray())));
    }
}
