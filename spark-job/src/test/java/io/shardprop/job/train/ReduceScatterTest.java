package io.shardprop.job.train;

import io.shardprop.core.data.Block;
import io.shardprop.core.model.Init;
import io.shardprop.core.optim.InnerState;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.OptimizerKind;
import io.shardprop.core.optim.OptimizerSpec;
import io.shardprop.core.optim.OuterOptimizer;
import io.shardprop.core.model.Stats;
import io.shardprop.core.model.Loss;
import io.shardprop.core.train.LocalData;
import io.shardprop.core.train.Trainer;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.data.Blocks;
import io.shardprop.job.data.IdxFile;
import io.shardprop.job.io.HadoopFs;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Big sums reach the driver by a reduce-scatter among the executors ({@code Aggregation.sum}): the same bits as the
 * single-process sums, and what the driver receives does not grow with the task count. Forced here on a small model
 * by a driver budget of 0 bytes. Also the replicas' averaged inner state on Spark, with retried tasks.
 */
class ReduceScatterTest extends SparkTestBase {

    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path dir;
    static io.shardprop.core.data.Batch train;
    static int blockCount;

    @org.junit.jupiter.api.BeforeAll
    static void data() throws java.io.IOException {
        io.shardprop.job.TinyMnist.write(dir, LocalStepsSparkTest.TRAIN, LocalStepsSparkTest.TEST, 43, false);
        train = DistributedTrainerTest.read(dir, "train");
        blockCount = Block.ranges(LocalStepsSparkTest.TRAIN, LocalStepsSparkTest.BLOCK).size();
    }

    /** The bytes of task results the driver receives, per job (Spark's {@code resultSize} task metric). */
    static final class ResultBytes extends SparkListener implements AutoCloseable {
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong tasks = new AtomicLong();

        ResultBytes() {
            sc.sc().addSparkListener(this);
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.taskMetrics() != null && "Success".equals(String.valueOf(end.reason()))) {
                bytes.addAndGet(end.taskMetrics().resultSize());
                tasks.incrementAndGet();
            }
        }

        /** The result bytes since the last take (and the task count is reset too). */
        long take() throws java.util.concurrent.TimeoutException {
            sc.sc().listenerBus().waitUntilEmpty();
            tasks.set(0);
            return bytes.getAndSet(0);
        }

        /** The tasks since the last take. */
        long tasks() throws java.util.concurrent.TimeoutException {
            sc.sc().listenerBus().waitUntilEmpty();
            return tasks.get();
        }

        @Override
        public void close() {
            sc.sc().removeSparkListener(this);
        }
    }

    static JavaRDD<Block> blocks(int partitions, int replicas) throws java.io.IOException {
        HadoopFs fs = new HadoopFs(sc.hadoopConfiguration());
        IdxFile images = IdxFile.open(fs, dir.resolve("train-images-idx3-ubyte").toUri().toString());
        IdxFile labels = IdxFile.open(fs, dir.resolve("train-labels-idx1-ubyte").toUri().toString());
        return replicas == 0 ? Blocks.load(sc, images, labels, LocalStepsSparkTest.BLOCK, partitions, "train")
                : Blocks.loadReplicas(sc, images, labels, LocalStepsSparkTest.BLOCK, partitions, replicas,
                io.shardprop.core.linalg.Precision.FLOAT64, "train");
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 3, 16})
    void aScatteredGradientIsBitwiseTheSingleProcessOne(int partitions) throws Exception {
        double[] params = Init.HE.draw(LocalStepsSparkTest.MODEL.layout(), 3);
        LocalData local = new LocalData(LocalStepsSparkTest.MODEL, train, LocalStepsSparkTest.BLOCK);
        double[] want = new double[params.length];
        Stats w = local.lossAndGradient(params, null, want);
        JavaRDD<Block> rdd = blocks(partitions, 0);
        try {
            SparkData spark = new SparkData(sc, rdd, local.blocks(), LocalStepsSparkTest.MODEL).driverBytes(0);
            double[] got = new double[params.length];
            Stats g = spark.lossAndGradient(params, null, got);
            assertArrayEquals(want, got);
            assertEquals(w, g);
            int[] some = {0, 5, 9, 30, 64};
            Stats ws = local.lossAndGradient(params, some, want);
            Stats gs = spark.lossAndGradient(params, some, got);
            assertArrayEquals(want, got, "a step's blocks, some partitions without any");
            assertEquals(ws, gs);
        } finally {
            rdd.unpersist(true);
        }
    }

    /** By default a pass runs one task a task slot, however many partitions hold the blocks: the same bits. */
    @Test
    void aPassRunsOneTaskASlotWhateverThePartitions() throws Exception {
        double[] params = Init.HE.draw(LocalStepsSparkTest.MODEL.layout(), 3);
        double[] want = new double[params.length];
        new LocalData(LocalStepsSparkTest.MODEL, train, LocalStepsSparkTest.BLOCK).lossAndGradient(params, null, want);
        JavaRDD<Block> rdd = blocks(16, 0);
        try (ResultBytes results = new ResultBytes()) {
            rdd.count();
            results.take();
            double[] got = new double[params.length];
            new SparkData(sc, rdd, blockCount, LocalStepsSparkTest.MODEL).lossAndGradient(params, null, got);
            assertEquals((long) sc.defaultParallelism(), results.tasks(), "one task a slot for 16 partitions");
            assertArrayEquals(want, got);
        } finally {
            rdd.unpersist(true);
        }
    }

    @Test
    void theDriverReceivesAboutOneSumWhateverTheTaskCount() throws Exception {
        start("local[2]", java.util.Map.of("spark.default.parallelism", "16"));  // 16 tasks a pass
        try {
            driverBytes();
        } finally {
            start("local[2]");
        }
    }

    private void driverBytes() throws Exception {
        double[] params = Init.HE.draw(LocalStepsSparkTest.MODEL.layout(), 3);
        double[] got = new double[params.length];
        long[] whole = new long[2];
        long[] scattered = new long[2];
        int[] partitions = {2, 16};
        try (ResultBytes results = new ResultBytes()) {
            for (int i = 0; i < 2; i++) {
                JavaRDD<Block> rdd = blocks(partitions[i], 0);
                try {
                    SparkData spark = new SparkData(sc, rdd, blockCount, LocalStepsSparkTest.MODEL);
                    rdd.count();
                    results.take();
                    spark.lossAndGradient(params, null, got);
                    whole[i] = results.take();
                    spark.driverBytes(0).lossAndGradient(params, null, got);
                    scattered[i] = results.take();
                } finally {
                    rdd.unpersist(true);
                }
            }
        }
        long component = params.length;
        String figures = "driver bytes, partial sums whole: " + whole[0] + " (2 tasks), " + whole[1]
                + " (16 tasks, tree); reduce-scatter: " + scattered[0] + ", " + scattered[1];
        assertTrue(whole[1] > 1.8 * whole[0], "whole partial sums grow with the tasks (√P with the tree): " + figures);
        assertTrue(scattered[1] < 1.3 * scattered[0], "reduce-scatter: bounded: " + figures);
        assertTrue(scattered[1] < 0.6 * whole[0], "about one sum: " + figures);
        assertTrue(scattered[1] > 4 * component, "each component arrives (" + figures + ")");
    }

    /** The replicas' averaged inner state, by a reduce-scatter, on 1 or 3 partitions and with retried tasks. */
    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 3})
    void averagedInnerStatesOnSparkAreBitwiseTheSingleProcessRun(int partitions) throws Exception {
        OptimizerSpec momentum = new OptimizerSpec(OptimizerKind.MOMENTUM, 0.9, 0.9, 0.999, 0);
        Trainer t = new Trainer(Loss.XENT, new LrSchedule(LrSchedule.Kind.COSINE, 0.1, 1, 1, 3), 3, 6, 5)
                .withLocalSteps(new Trainer.Rounds(3, 3, momentum, 1.0, InnerState.AVERAGE));
        int n = LocalStepsSparkTest.MODEL.layout().paramCount();
        double[] want = Init.HE.draw(LocalStepsSparkTest.MODEL.layout(), 3);
        t.train(want, new OuterOptimizer(OuterOptimizer.Kind.NESTEROV, n, 0.9, n),
                1, new LocalData(LocalStepsSparkTest.MODEL, train, LocalStepsSparkTest.BLOCK), null,
                (m, p) -> { });
        start("local[2,4]");
        JavaRDD<Block> rdd = blocks(partitions, 3);
        try (InjectedFailures.Count failures = new InjectedFailures.Count(sc.sc())) {
            double[] got = Init.HE.draw(LocalStepsSparkTest.MODEL.layout(), 3);
            SparkData spark = new SparkData(sc, InjectedFailures.firstAttemptsFail(rdd), blockCount, LocalStepsSparkTest.MODEL)
                    .driverBytes(0);
            t.train(got, new OuterOptimizer(OuterOptimizer.Kind.NESTEROV, n, 0.9, n), 1, spark, null, (m, p) -> { });
            assertTrue(failures.failures() > 0, "no injected task failure happened");
            assertArrayEquals(want, got, "the same bits");
        } finally {
            rdd.unpersist(true);
            start("local[2]");
        }
    }
}
