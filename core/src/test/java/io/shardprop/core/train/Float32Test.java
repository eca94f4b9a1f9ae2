package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.linalg.FMat;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;
import io.shardprop.core.model.Trace;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.Sgd;
import io.shardprop.core.testing.RealData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --precision float32}: close to float64, deterministic, and as accurate on MNIST. */
class Float32Test {

    @Test
    void float32GradientIsWithinFloat32RoundingOfFloat64() {
        Mlp model = new Mlp(new Layout(50, new int[]{20}, 10, true), Loss.XENT);
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 300;
        byte[] px = new byte[n * 49];
        byte[] y = new byte[n];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) rnd.nextInt(256);
        }
        for (int i = 0; i < n; i++) {
            y[i] = (byte) rnd.nextInt(10);
        }
        Batch b64 = Batch.fromBytes(px, 49, y, 0, n);
        Batch b32 = Batch.fromBytes(px, 49, y, 0, n, Precision.FLOAT32);
        assertTrue(b32.x() instanceof FMat);
        double[] p = Init.HE.draw(model.layout(), 3);
        double[] g64 = new double[p.length];
        double[] g32 = new double[p.length];
        Stats s64 = model.lossAndGradient(p, b64.x(), b64.labels(), Trace.allocate(model.layout(), n), g64);
        Stats s32 = model.lossAndGradient(p, b32.x(), b32.labels(), Trace.allocate(model.layout(), n), g32);
        assertEquals(s64.lossSum(), s32.lossSum(), 1e-5 * Math.abs(s64.lossSum()));
        double norm = 0;
        double diff = 0;
        boolean anyDifferent = false;
        for (int i = 0; i < p.length; i++) {
            norm = Math.max(norm, Math.abs(g64[i]));
            diff = Math.max(diff, Math.abs(g64[i] - g32[i]));
            anyDifferent |= g64[i] != g32[i];
        }
        assertTrue(diff < 1e-5 * norm, "max difference " + diff + " against max |gradient| " + norm);
        assertTrue(anyDifferent, "the float32 path must actually run in float32");
    }

    @Test
    void seedRunInFloat32EndsWithinHalfAPointOfFloat64OnMnist() throws Exception {
        Batch train = RealData.mnist("train");
        Batch test = RealData.mnist("t10k");
        List<EpochMetrics> f64 = seedRun(train, test);
        List<EpochMetrics> f32 = seedRun(train.in(Precision.FLOAT32), test);
        EpochMetrics a = f64.get(f64.size() - 1);
        EpochMetrics b = f32.get(f32.size() - 1);
        System.out.printf("seed model, 20 epochs: test accuracy float64 %.4f, float32 %.4f%n",
                a.testAccuracy(), b.testAccuracy());
        for (int e = 0; e < f64.size(); e++) {
            assertEquals(f64.get(e).testAccuracy(), f32.get(e).testAccuracy(), 0.005, "test accuracy, epoch " + (e + 1));
        }
        assertFalse(a.trainLoss() == b.trainLoss(), "float32 must differ in its last bits");
    }

    private static List<EpochMetrics> seedRun(Batch train, Batch test) throws Exception {
        Mlp model = Mlp.seed(100);
        double[] params = Init.NORMAL.draw(model.layout(), 0);
        List<EpochMetrics> epochs = new ArrayList<>();
        new Trainer(Loss.SEED, LrSchedule.constant(1e-5), 20, 0, 0)
                .train(params, new Sgd(params.length, 0, 0), 1, new LocalData(model, train, 2000), new LocalData(model, test, 2000),
                        (m, p) -> epochs.add(m));
        return epochs;
    }
}
