package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.linalg.Mat;
import io.shardprop.core.model.Activation;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.TargetScaling;
import io.shardprop.core.model.Trace;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.Sgd;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Row weights, early stopping and target scaling in the trainer. */
class WeightsAndEarlyStoppingTest {

    static final Layout LAYOUT = new Layout(5, new int[]{6}, 3, true);

    /** {@code n} rows of 4 features and the ones column, labels 0..2 tied to the features. */
    static Batch rows(int n, long seed, boolean flipped) {
        SplittableRandom r = new SplittableRandom(seed);
        Mat x = Mat.zeros(n, 5);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x.set(i, j, (j == y[i] ? 1.5 : 0) + r.nextGaussian());
            }
            x.set(i, 4, 1.0);
            if (flipped) {
                y[i] = (y[i] + 1) % 3;
            }
        }
        return new Batch(x, y);
    }

    static double[] trained(Mlp model, Batch data, int blockSize, int epochs) throws Exception {
        double[] w = new double[model.layout().paramCount()];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextDouble(-0.5, 0.5);
        }
        new Trainer(model.loss(), LrSchedule.constant(0.3), epochs, 0, 0)
                .train(w, new Sgd(w.length, 0, 0), 1, new LocalData(model, data, blockSize), null, (m, p) -> { });
        return w;
    }

    /** The rows with row {@code k} twice (right after itself), all of weight 1. */
    static Batch duplicated(Batch b, int k) {
        int n = b.size();
        Mat x = Mat.zeros(n + 1, 5);
        int[] y = new int[n + 1];
        for (int i = 0, o = 0; i < n; i++) {
            for (int copy = 0; copy < (i == k ? 2 : 1); copy++, o++) {
                for (int j = 0; j < 5; j++) {
                    x.set(o, j, b.x().get(i, j));
                }
                y[o] = b.labels()[i];
            }
        }
        return new Batch(x, y);
    }

    /** {@code n} weights of 1 but row {@code k}'s, 2. */
    static double[] onesAndTwoAt(int n, int k) {
        double[] w = new double[n];
        Arrays.fill(w, 1.0);
        w[k] = 2.0;
        return w;
    }

    @Test
    void aRowOfWeightTwoTrainsAsThatRowTwice() throws Exception {
        Batch data = rows(60, 3, false);
        double[] weights = onesAndTwoAt(60, 17);
        for (Activation a : new Activation[]{Activation.RELU, Activation.TANH}) {
            for (Loss loss : new Loss[]{Loss.XENT, Loss.SEED}) {
                Mlp model = new Mlp(LAYOUT, loss, a);
                double[] twice = trained(model, duplicated(data, 17), 61, 5);
                double[] weighted = trained(model, data.withWeights(weights), 61, 5);
                double[] plain = trained(model, data, 61, 5);
                for (int i = 0; i < twice.length; i++) {
                    assertEquals(twice[i], weighted[i], 1e-12 * Math.max(1, Math.abs(twice[i])), a + " " + loss + " " + i);
                }
                assertFalse(Arrays.equals(plain, weighted), "the weight counts");
            }
        }
    }

    /**
     * Blocks of one row: the copy is a block of its own, and blocks' gradients are summed exactly, so twice a row's
     * gradient and the row's gradient scaled by 2 add up to the same bits (within one block the BLAS accumulates
     * the rows in its own order: equal to 1e-12 above).
     */
    @Test
    void aRowOfWeightTwoIsBitwiseThatRowTwiceWhenEachRowIsItsOwnBlock() throws Exception {
        Batch data = rows(60, 3, false);
        double[] weights = onesAndTwoAt(60, 17);
        for (Activation a : Activation.values()) {
            for (Loss loss : new Loss[]{Loss.XENT, Loss.SEED}) {
                Mlp model = new Mlp(LAYOUT, loss, a);
                assertArrayEquals(trained(model, duplicated(data, 17), 1, 5),
                        trained(model, data.withWeights(weights), 1, 5), a + " " + loss);
            }
        }
    }

    @Test
    void weightsOfOneChangeNoBit() throws Exception {
        Batch data = rows(50, 4, false);
        double[] ones = new double[50];
        Arrays.fill(ones, 1.0);
        Mlp model = new Mlp(LAYOUT, Loss.XENT);
        assertArrayEquals(trained(model, data, 16, 3), trained(model, data.withWeights(ones), 16, 3));
    }

    @Test
    void earlyStoppingKeepsTheBestEpochAndStopsAfterThePatience() throws Exception {
        Mlp model = new Mlp(LAYOUT, Loss.XENT);
        Batch train = rows(90, 5, false);
        Batch worse = rows(30, 6, true);  // labels shifted: the better the model learns, the worse it does here
        double[] w = new double[model.layout().paramCount()];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextDouble(-0.1, 0.1);
        }
        double[] start = w.clone();
        List<EpochMetrics> epochs = new ArrayList<>();
        List<double[]> after = new ArrayList<>();
        Trainer t = new Trainer(Loss.XENT, LrSchedule.constant(0.5), 20, 0, 0)
                .withEarlyStopping(new EarlyStopping(3, EarlyStopping.Metric.LOSS));
        Trainer.Result result = t.train(w, new Sgd(w.length, 0, 0), 1, new LocalData(model, train, 30), null,
                new LocalData(model, worse, 30), new EarlyStopping.Best(), (m, p) -> {
                    epochs.add(m);
                    after.add(p.clone());
                });
        assertTrue(result.stoppedEarly());
        int best = result.bestEpoch();
        assertEquals(best + 3, epochs.size(), "stops once 3 epochs brought nothing better");
        double bestLoss = epochs.get(best - 1).get("val_loss");
        for (EpochMetrics m : epochs) {
            assertTrue(m.get("val_loss") >= bestLoss);
            assertTrue(m.get("best_epoch") <= best);
        }
        assertArrayEquals(after.get(best - 1), w, "the best epoch's weights are kept");
        assertFalse(Arrays.equals(start, w));
        assertThrows(IllegalArgumentException.class, () -> t.train(start.clone(), new Sgd(w.length, 0, 0), 1,
                new LocalData(model, train, 30), null, null, new EarlyStopping.Best(), (m, p) -> { }));
    }

    @Test
    void foldedTargetScalingPredictsInTheTargetsUnits() {
        Layout layout = new Layout(3, new int[]{4}, 1, true);
        Mlp model = new Mlp(layout, Loss.SQUARED, Activation.TANH);
        SplittableRandom r = new SplittableRandom(2);
        double[] w = new double[layout.paramCount()];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextDouble(-1, 1);
        }
        TargetScaling s = TargetScaling.of(120.0, 35.0);
        Mat x = Mat.of(2, 3, 0.3, -1.2, 1.0, 2.0, 0.5, 1.0);
        Trace t = Trace.allocate(layout, 2);
        double[] scaled = {model.forward(w, x, t).logits().get(0, 0), t.logits().get(1, 0)};
        model.forward(s.fold(layout, w), x, t);
        for (int i = 0; i < 2; i++) {
            assertEquals(scaled[i] * 35.0 + 120.0, t.logits().get(i, 0), 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> s.fold(new Layout(3, new int[]{4}, 1, false),
                new double[new Layout(3, new int[]{4}, 1, false).paramCount()]));
    }
}
