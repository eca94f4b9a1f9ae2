package io.shardprop.core.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.OptimizerKind;
import io.shardprop.core.optim.OptimizerSpec;
import io.shardprop.core.optim.OuterOptimizer;
import io.shardprop.core.optim.Sgd;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalStepsTest {

    static final Mlp MODEL = new Mlp(Layout.mnist(new int[]{20}, true), Loss.XENT);
    static final OptimizerSpec SGD = new OptimizerSpec(OptimizerKind.SGD, 0, 0.9, 0.999, 0);
    static final OptimizerSpec MOMENTUM = new OptimizerSpec(OptimizerKind.MOMENTUM, 0.9, 0.9, 0.999, 0);

    static Trainer rounds(Loss loss, int epochs, int blocksPerStep, int replicas, int syncs, OptimizerSpec inner,
                          LrSchedule schedule) {
        return new Trainer(loss, schedule, epochs, blocksPerStep, 7)
                .withLocalSteps(new Trainer.Rounds(replicas, syncs, inner, 1.0));
    }

    /** The outer optimizer {@code average} or {@code nesterov} (μ 0.9) for {@code size} parameters. */
    static OuterOptimizer outer(String name, int size) {
        return new OuterOptimizer(OuterOptimizer.Kind.valueOf(name.toUpperCase(java.util.Locale.ROOT)), size, 0.9);
    }

    @Test
    void oneReplicaOneStepARoundWithSgdIsTheSynchronousTrainer() throws Exception {
        Batch data = TrainerTest.random(640, 3);
        LocalData source = new LocalData(MODEL, data, 32);  // 20 blocks, 5 steps of 4 an epoch
        double[] sync = Init.HE.draw(MODEL.layout(), 1);
        double[] local = sync.clone();
        LrSchedule cosine = new LrSchedule(LrSchedule.Kind.COSINE, 0.1, 1, 1, 3);
        List<EpochMetrics> a = new ArrayList<>();
        List<EpochMetrics> b = new ArrayList<>();
        new Trainer(Loss.XENT, cosine, 3, 4, 7).train(sync, new Sgd(sync.length, 0, 0), 1, source, null,
                (m, p) -> a.add(m));
        rounds(Loss.XENT, 3, 4, 1, 5, SGD, cosine).train(local, outer("average", local.length), 1, source, null,
                (m, p) -> b.add(m));
        for (int i = 0; i < sync.length; i++) {
            assertEquals(sync[i], local[i], 1e-12 * Math.max(1, Math.abs(sync[i])), "parameter " + i);
        }
        for (int e = 0; e < 3; e++) {
            assertEquals(a.get(e).trainLoss(), b.get(e).trainLoss(), 1e-12 * a.get(e).trainLoss());
            assertEquals(a.get(e).trainAccuracy(), b.get(e).trainAccuracy());
        }
    }

    /**
     * With the inner state averaged, one replica carries its momentum (or Adam's moments and step count) across
     * rounds: any number of rounds is then the synchronous trainer with that optimizer.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"MOMENTUM", "ADAM"})
    void oneReplicaWithItsStateAveragedIsTheSynchronousTrainerWithThatOptimizer(String kind) throws Exception {
        Batch data = TrainerTest.random(640, 3);
        LocalData source = new LocalData(MODEL, data, 32);  // 20 blocks, 5 steps of 4 an epoch
        OptimizerSpec spec = new OptimizerSpec(OptimizerKind.valueOf(kind), 0.9, 0.9, 0.999, 1e-4);
        double[] sync = Init.HE.draw(MODEL.layout(), 1);
        double[] local = sync.clone();
        LrSchedule cosine = new LrSchedule(LrSchedule.Kind.COSINE, kind.equals("ADAM") ? 0.003 : 0.05, 1, 1, 3);
        new Trainer(Loss.XENT, cosine, 3, 4, 7).train(sync, spec.create(sync.length), 1, source, null, (m, p) -> { });
        OuterOptimizer outer = new OuterOptimizer(OuterOptimizer.Kind.AVERAGE, local.length, 0,
                spec.stateSize(local.length));
        new Trainer(Loss.XENT, cosine, 3, 4, 7)
                .withLocalSteps(new Trainer.Rounds(1, 2, spec, 1.0, io.shardprop.core.optim.InnerState.AVERAGE))
                .train(local, outer, 1, source, null, (m, p) -> { });
        for (int i = 0; i < sync.length; i++) {
            assertEquals(sync[i], local[i], 1e-10 * Math.max(1, Math.abs(sync[i])), "parameter " + i);
        }
        assertTrue(Arrays.stream(outer.innerState()).anyMatch(x -> x != 0), "the carried state is kept");
        // reset instead: a different run (the momentum restarts each of the 2 rounds an epoch)
        double[] reset = Init.HE.draw(MODEL.layout(), 1);
        new Trainer(Loss.XENT, cosine, 3, 4, 7).withLocalSteps(new Trainer.Rounds(1, 2, spec, 1.0))
                .train(reset, new OuterOptimizer(OuterOptimizer.Kind.AVERAGE, reset.length, 0), 1, source, null,
                        (m, p) -> { });
        assertTrue(Math.abs(reset[5] - sync[5]) > 1e-9 * Math.abs(sync[5]) || Math.abs(reset[900] - sync[900]) > 0);
    }

    @Test
    void averagedStatesAreBitwiseReproducibleAndResumeFromTheOuterOptimizersState() throws Exception {
        Batch data = TrainerTest.random(768, 4);
        LocalData source = new LocalData(MODEL, data, 32);
        LrSchedule lr = new LrSchedule(LrSchedule.Kind.COSINE, 0.05, 1, 1, 4);
        Trainer t = new Trainer(Loss.XENT, lr, 4, 8, 7)
                .withLocalSteps(new Trainer.Rounds(4, 3, MOMENTUM, 1.0, io.shardprop.core.optim.InnerState.AVERAGE));
        double[] whole = Init.HE.draw(MODEL.layout(), 1);
        t.train(whole, new OuterOptimizer(OuterOptimizer.Kind.AVERAGE, whole.length, 0, whole.length), 1, source,
                null, (m, q) -> { });
        // two epochs, then a new optimizer given the state the first one had (as a checkpoint restores it)
        double[] part = Init.HE.draw(MODEL.layout(), 1);
        OuterOptimizer first = new OuterOptimizer(OuterOptimizer.Kind.AVERAGE, part.length, 0, part.length);
        new Trainer(Loss.XENT, lr, 2, 8, 7)
                .withLocalSteps(new Trainer.Rounds(4, 3, MOMENTUM, 1.0, io.shardprop.core.optim.InnerState.AVERAGE))
                .train(part, first, 1, source, null, (m, q) -> { });
        OuterOptimizer resumed = new OuterOptimizer(OuterOptimizer.Kind.AVERAGE, part.length, 0, part.length);
        System.arraycopy(first.state().get("inner_state"), 0, resumed.state().get("inner_state"), 0, part.length);
        t.train(part, resumed, 3, source, null, (m, q) -> { });
        assertArrayEquals(whole, part, "resumed from the kept state: the same bits");
        // losing the state (what a reset of it would do) changes the result
        double[] lost = Init.HE.draw(MODEL.layout(), 1);
        new Trainer(Loss.XENT, lr, 2, 8, 7)
                .withLocalSteps(new Trainer.Rounds(4, 3, MOMENTUM, 1.0, io.shardprop.core.optim.InnerState.AVERAGE))
                .train(lost, new OuterOptimizer(OuterOptimizer.Kind.AVERAGE, lost.length, 0, lost.length), 1, source,
                        null, (m, q) -> { });
        t.train(lost, new OuterOptimizer(OuterOptimizer.Kind.AVERAGE, lost.length, 0, lost.length), 3, source, null,
                (m, q) -> { });
        assertFalse(Arrays.equals(whole, lost));
    }

    @Test
    void averagingTheStateNeedsAnOuterOptimizerThatKeepsIt() {
        IllegalArgumentException e = failure(IllegalArgumentException.class, 0.1, 1,
                new Trainer.Rounds(2, 2, MOMENTUM, 1.0, io.shardprop.core.optim.InnerState.AVERAGE));
        assertTrue(e.getMessage().contains("OuterOptimizer that keeps"), e.getMessage());
    }

    @Test
    void replicasOwnFixedShardsAndVisitEachBlockOnceAnEpoch() {
        Trainer t = rounds(Loss.XENT, 2, 6, 3, 2, SGD, LrSchedule.constant(0.1));
        int[][][] plan = t.replicaSteps(23, 1);
        assertEquals(3, plan.length);
        int[] all = Arrays.stream(plan).flatMap(Arrays::stream).flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 23).toArray(), all);
        for (int r = 0; r < 3; r++) {
            int replica = r;
            assertTrue(Arrays.stream(plan[r]).flatMapToInt(Arrays::stream).allMatch(b -> b % 3 == replica));
            assertTrue(Arrays.stream(plan[r]).allMatch(s -> s.length <= 2), "6 blocks a step over 3 replicas");
        }
        assertTrue(Arrays.deepEquals(plan, t.replicaSteps(23, 1)));
        assertFalse(Arrays.deepEquals(plan, t.replicaSteps(23, 2)), "reshuffled per epoch");
    }

    @Test
    void resultsAreBitwiseReproducibleAndAFunctionOfTheReplicaCount() throws Exception {
        Batch data = TrainerTest.random(768, 4);
        double[] first = train(new LocalData(MODEL, data, 32), 4, 3, MOMENTUM, "nesterov");
        double[] again = train(new LocalData(MODEL, data, 32), 4, 3, MOMENTUM, "nesterov");
        assertArrayEquals(first, again, "bitwise reproducible");
        double[] other = train(new LocalData(MODEL, data, 32), 2, 3, MOMENTUM, "nesterov");
        assertFalse(Arrays.equals(first, other), "a function of R");
    }

    @Test
    void localStepsLearnAsWellAsSynchronousSteps() throws Exception {
        Batch data = TrainerTest.random(1024, 9);
        LocalData source = new LocalData(MODEL, data, 32);
        LrSchedule lr = LrSchedule.constant(0.05);
        double[] sync = Init.HE.draw(MODEL.layout(), 1);
        new Trainer(Loss.XENT, lr, 6, 4, 7).train(sync, new Sgd(sync.length, 0.9, 0), 1, source, null, (m, q) -> { });
        double[] local = Init.HE.draw(MODEL.layout(), 1);
        rounds(Loss.XENT, 6, 4, 2, 2, MOMENTUM, lr).train(local, outer("average", local.length), 1, source, null,
                (m, q) -> { });
        double syncAcc = source.evaluate(sync).accuracy();
        double localAcc = source.evaluate(local).accuracy();
        assertTrue(syncAcc > 0.9, "synchronous accuracy " + syncAcc);
        assertTrue(localAcc > syncAcc - 0.05, "2 replicas, 2 syncs an epoch: " + localAcc + " against " + syncAcc);
    }

    @Test
    void aDivergingRoundStopsWithTheLossMessage() {
        TrainingDivergedException e = failure(TrainingDivergedException.class, 1e9, 2,
                new Trainer.Rounds(2, 2, SGD, 1.0));
        assertTrue(e.getMessage().contains("try a lower --lr"), e.getMessage());
    }

    @Test
    void outerNesterovKeepsItsVelocityAsState() {
        OuterOptimizer o = new OuterOptimizer(OuterOptimizer.Kind.NESTEROV, 2, 0.5);
        double[] w = {1, 1};
        o.step(w, new double[]{1, 0}, 1.0);   // v = 1, w -= 1 + 0.5·1
        assertArrayEquals(new double[]{-0.5, 1}, w);
        assertArrayEquals(new double[]{1, 0}, o.state().get("velocity"));
        OuterOptimizer avg = new OuterOptimizer(OuterOptimizer.Kind.AVERAGE, 2, 0.9);
        avg.step(w, new double[]{0.5, 1}, 1.0);
        assertArrayEquals(new double[]{-1, 0}, w);
        assertTrue(avg.state().isEmpty());
    }

    /** Trains 256 random rows at {@code lr} with {@code rounds} and an outer average that keeps no inner state: the failure. */
    private static <E extends Exception> E failure(Class<E> type, double lr, int epochs, Trainer.Rounds rounds) {
        LocalData source = new LocalData(MODEL, TrainerTest.random(256, 2), 32);
        double[] p = Init.HE.draw(MODEL.layout(), 1);
        Trainer t = new Trainer(Loss.XENT, LrSchedule.constant(lr), epochs, 4, 7).withLocalSteps(rounds);
        return assertThrows(type, () -> t.train(p, new OuterOptimizer(OuterOptimizer.Kind.AVERAGE, p.length, 0), 1,
                source, null, (m, q) -> { }));
    }

    private static double[] train(LocalData source, int replicas, int syncs, OptimizerSpec inner, String outer)
            throws Exception {
        double[] p = Init.HE.draw(MODEL.layout(), 1);
        rounds(Loss.XENT, 3, 8, replicas, syncs, inner, new LrSchedule(LrSchedule.Kind.COSINE, 0.05, 1, 1, 3))
                .train(p, outer(outer, p.length), 1, source, null, (m, q) -> { });
        return p;
    }
}
