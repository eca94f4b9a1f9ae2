package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.linalg.Mat;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    static Batch random(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Mat x = Mat.zeros(n, 785);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(10);
            for (int j = 0; j < 784; j++) {
                x.set(i, j, (j % 10 == y[i] && rnd.nextBoolean()) ? rnd.nextDouble() : 0.0);
            }
            x.set(i, 784, 1.0);
        }
        return new Batch(x, y);
    }

    @Test
    void miniBatchPlanVisitsEveryBlockOnceAnEpochInASeededOrder() {
        Trainer t = new Trainer(Loss.XENT, new Sgd(1, 0, 0), LrSchedule.constant(1), 3, 4, 99);
        int[][] e1 = t.plan(23, 1);
        assertEquals(6, e1.length);
        assertEquals(3, e1[5].length);
        int[] all = Arrays.stream(e1).flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(java.util.stream.IntStream.range(0, 23).toArray(), all);
        assertTrue(Arrays.deepEquals(e1, t.plan(23, 1)), "same seed and epoch, same plan");
        assertFalse(Arrays.deepEquals(e1, t.plan(23, 2)), "reshuffled per epoch");
        assertFalse(Arrays.deepEquals(e1, new Trainer(Loss.XENT, new Sgd(1, 0, 0), LrSchedule.constant(1), 3, 4, 98)
                .plan(23, 1)), "depends on the seed");
    }

    @Test
    void fullBatchPlanIsOneStepOverAllBlocks() {
        int[][] plan = new Trainer(Loss.SEED, new Sgd(1, 0, 0), LrSchedule.constant(1), 1, 0, 0).plan(15, 1);
        assertEquals(1, plan.length);
        assertNull(plan[0]);
    }

    @Test
    void blockSizeChangesOnlyTheSummationOrder() throws Exception {
        Batch data = random(300, 5);
        Mlp model = new Mlp(Layout.mnist(new int[]{20}, true), Loss.XENT);
        double[] a = Init.HE.draw(model.layout(), 3);
        double[] b = a.clone();
        new Trainer(Loss.XENT, new Sgd(a.length, 0.9, 0), LrSchedule.constant(0.05), 3, 0, 1)
                .train(a, 1, new LocalData(model, data, 300), null, (m, p) -> { });
        new Trainer(Loss.XENT, new Sgd(b.length, 0.9, 0), LrSchedule.constant(0.05), 3, 0, 1)
                .train(b, 1, new LocalData(model, data, 7), null, (m, p) -> { });
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-12 * Math.max(1, Math.abs(a[i])));
        }
    }

    @Test
    void xentMiniBatchTrainingLearns() throws Exception {
        Batch data = random(512, 8);
        Mlp model = new Mlp(Layout.mnist(new int[]{32}, true), Loss.XENT);
        double[] w = Init.HE.draw(model.layout(), 3);
        List<EpochMetrics> epochs = new ArrayList<>();
        new Trainer(Loss.XENT, new io.shardprop.core.optim.Adam(w.length, 0.9, 0.999, 1e-8, 0),
                LrSchedule.constant(1e-2), 5, 2, 7).train(w, 1, new LocalData(model, data, 32),
                new LocalData(model, data, 64), (m, p) -> epochs.add(m));
        assertEquals(5, epochs.size());
        assertTrue(epochs.get(4).testAccuracy() > 0.9, "accuracy " + epochs.get(4).testAccuracy());
        assertTrue(epochs.get(4).trainLoss() < epochs.get(0).trainLoss() / 3);
    }

    @Test
    void divergenceStopsWithTheEpochAndLastFiniteLoss() {
        Batch data = random(64, 2);
        Mlp model = Mlp.seed(8);
        double[] w = Init.NORMAL.draw(model.layout(), 1);
        List<EpochMetrics> epochs = new ArrayList<>();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () ->
                new Trainer(Loss.SEED, new Sgd(w.length, 0, 0), LrSchedule.constant(1e300), 5, 0, 0)
                        .train(w, 1, new LocalData(model, data, 64), null, (m, p) -> epochs.add(m)));
        assertTrue(e.getMessage().contains("try a lower --lr"), e.getMessage());
        assertEquals(e.epoch(), epochs.size() + 1, "stops at the first bad epoch");
    }

    @Test
    void blockRangesAreConsecutiveRunsOfTheBlockSizeWithAShorterLastOne() {
        List<Block.Range> r = Block.ranges(10, 4);
        assertEquals(List.of(new Block.Range(0, 0, 4), new Block.Range(1, 4, 4), new Block.Range(2, 8, 2)), r);
    }
}
