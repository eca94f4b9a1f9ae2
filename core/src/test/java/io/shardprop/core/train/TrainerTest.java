package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.data.Deformation;
import io.shardprop.core.exact.ExactSumException;
import io.shardprop.core.linalg.Mat;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;
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
        Trainer t = new Trainer(Loss.XENT, LrSchedule.constant(1), 3, 4, 99);
        int[][] e1 = t.plan(23, 1);
        assertEquals(6, e1.length);
        assertEquals(3, e1[5].length);
        int[] all = Arrays.stream(e1).flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(java.util.stream.IntStream.range(0, 23).toArray(), all);
        assertTrue(Arrays.deepEquals(e1, t.plan(23, 1)), "same seed and epoch, same plan");
        assertFalse(Arrays.deepEquals(e1, t.plan(23, 2)), "reshuffled per epoch");
        assertFalse(Arrays.deepEquals(e1, new Trainer(Loss.XENT, LrSchedule.constant(1), 3, 4, 98)
                .plan(23, 1)), "depends on the seed");
    }

    @Test
    void fullBatchPlanIsOneStepOverAllBlocks() {
        int[][] plan = new Trainer(Loss.SEED, LrSchedule.constant(1), 1, 0, 0).plan(15, 1);
        assertEquals(1, plan.length);
        assertNull(plan[0]);
    }

    @Test
    void blockSizeChangesOnlyTheSummationOrder() throws Exception {
        Batch data = random(300, 5);
        Mlp model = new Mlp(Layout.mnist(new int[]{20}, true), Loss.XENT);
        double[] a = Init.HE.draw(model.layout(), 3);
        double[] b = a.clone();
        Trainer t = new Trainer(Loss.XENT, LrSchedule.constant(0.05), 3, 0, 1);
        t.train(a, new Sgd(a.length, 0.9, 0), 1, new LocalData(model, data, 300), null, (m, p) -> { });
        t.train(b, new Sgd(b.length, 0.9, 0), 1, new LocalData(model, data, 7), null, (m, p) -> { });
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
        new Trainer(Loss.XENT, LrSchedule.constant(1e-2), 5, 2, 7).train(w,
                new io.shardprop.core.optim.Adam(w.length, 0.9, 0.999, 1e-8, 0), 1, new LocalData(model, data, 32),
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
                new Trainer(Loss.SEED, LrSchedule.constant(1e300), 5, 0, 0)
                        .train(w, new Sgd(w.length, 0, 0), 1, new LocalData(model, data, 64), null, (m, p) -> epochs.add(m)));
        assertTrue(e.getMessage().contains("try a lower --lr"), e.getMessage());
        assertEquals(e.epoch(), epochs.size() + 1, "stops at the first bad epoch");
    }

    @Test
    void blockRangesAreConsecutiveRunsOfTheBlockSizeWithAShorterLastOne() {
        List<Block.Range> r = Block.ranges(10, 4);
        assertEquals(List.of(new Block.Range(0, 0, 4), new Block.Range(1, 4, 4), new Block.Range(2, 8, 2)), r);
    }

    @Test
    void oneTrainerTrainsTwiceToTheSameBits() throws Exception {
        Batch data = random(384, 11);
        Mlp model = new Mlp(Layout.mnist(new int[]{16}, true), Loss.XENT);
        Trainer t = new Trainer(Loss.XENT, LrSchedule.constant(1e-2), 3, 2, 5).withDeformation(new Deformation(28, 28, 2, 4.0, 20.0, 10, 0.1, 5));
        LocalData train = new LocalData(model, data, 32);
        LocalData test = new LocalData(model, random(128, 12), 32).keepMistakes(5);
        double[] a = Init.HE.draw(model.layout(), 3);
        double[] b = a.clone();
        List<EpochMetrics> first = new ArrayList<>();
        List<EpochMetrics> second = new ArrayList<>();
        Trainer.Result ra = t.train(a, new io.shardprop.core.optim.Adam(a.length, 0.9, 0.999, 1e-8, 0), 1, train, test,
                (m, p) -> first.add(m));
        Trainer.Result rb = t.train(b, new io.shardprop.core.optim.Adam(b.length, 0.9, 0.999, 1e-8, 0), 1, train, test,
                (m, p) -> second.add(m));
        assertArrayEquals(a, b, "the same trainer, the same start: the same weights, bit for bit");
        for (int e = 0; e < 3; e++) {
            assertEquals(first.get(e).trainLoss(), second.get(e).trainLoss());
            assertEquals(first.get(e).testLoss(), second.get(e).testLoss());
        }
        EvaluationSums la = ra.lastTest().orElseThrow();
        EvaluationSums lb = rb.lastTest().orElseThrow();
        assertEquals(la.stats(), lb.stats());
        assertEquals(first.get(2).testLoss(), la.stats().loss(), "the result is the last epoch's test pass");
        assertTrue(Arrays.deepEquals(la.confusion(), lb.confusion()));
        assertEquals(la.worst().stream().map(EvaluationSums.Miss::index).toList(),
                lb.worst().stream().map(EvaluationSums.Miss::index).toList());
        assertTrue(t.train(b, new Sgd(b.length, 0, 0), 1, train, null, (m, p) -> { }).lastTest().isEmpty(),
                "no test source, no test pass");
    }

    @Test
    void aGradientTooLargeToSumFailsWithItsBlockIndex() {
        Batch data = random(64, 6);
        Mlp model = new Mlp(Layout.mnist(new int[]{20}, true), Loss.XENT);
        double[] huge = new double[model.layout().paramCount()];
        Arrays.fill(huge, 1e30);  // finite loss, gradient components far above 2^80
        Block third = Block.split(data, 16).get(2);
        BlockFailure f = assertThrows(BlockFailure.class, () -> new GradientSums(model).add(third, huge));
        assertEquals(2, f.block());
        assertTrue(f.getCause() instanceof ExactSumException, String.valueOf(f.getCause()));

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () ->
                new Trainer(Loss.XENT, LrSchedule.constant(1e-3), 2, 0, 0).train(huge.clone(),
                        new Sgd(huge.length, 0, 0), 1, new LocalData(model, data, 16), null, (m, p) -> { }));
        int block = BlockFailure.in(e).orElseThrow().block();
        assertTrue(block >= 0 && block < 4, "block " + block);
        assertTrue(e.getMessage().startsWith("epoch 1 step 1: the gradient is too large to sum exactly (block "
                + block + ": gradient component "), e.getMessage());
    }

    @Test
    void theFailingBlockIsFoundByTypeNotByWording() {
        ExactSumException overflow = new ExactSumException(4, "1.0E25 is too large: |x| must be below 2^80");
        BlockFailure failure = new BlockFailure(3, "gradient " + overflow.getMessage(), overflow);
        // as a Spark job failure reaches the driver, its message quoting another block's wording
        RuntimeException wrapped = new IllegalStateException("block 9: a message that names another block", failure);
        GradientSource failing = new GradientSource() {
            @Override
            public int blocks() {
                return 4;
            }

            @Override
            public Stats lossAndGradient(double[] params, int[] blocks, Deformation deformation, long deformSeed, double[] grad) {
                throw wrapped;
            }

            @Override
            public EvaluationSums evaluation(double[] params) {
                throw new UnsupportedOperationException();
            }
        };
        assertEquals(3, BlockFailure.in(wrapped).orElseThrow().block());
        assertTrue(BlockFailure.in(new IllegalStateException("block 9: only words")).isEmpty(), "words are not a block");
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () ->
                new Trainer(Loss.SEED, LrSchedule.constant(1), 1, 0, 0).train(new double[1], new Sgd(1, 0, 0), 1,
                        failing, null, (m, p) -> { }));
        assertEquals(3, BlockFailure.in(e).orElseThrow().block());
        assertEquals("epoch 1 step 1: the gradient is too large to sum exactly (block 3: gradient component 4: 1.0E25 "
                + "is too large: |x| must be below 2^80) (last finite loss none); try a lower --lr", e.getMessage());
    }
}
