package io.shardprop.job.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.data.Deformation;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.OptimizerKind;
import io.shardprop.core.optim.OptimizerSpec;
import io.shardprop.core.optim.OuterOptimizer;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.core.train.GradientSource;
import io.shardprop.core.train.LocalData;
import io.shardprop.core.train.Trainer;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.TinyMnist;
import io.shardprop.job.data.Blocks;
import io.shardprop.job.data.IdxFile;
import io.shardprop.job.io.HadoopFs;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rounds of local steps on Spark against the single-process engine: with R fixed, the same bits whatever
 * the partition count (a partition holds whole replicas) and with failed-and-retried tasks.
 */
class LocalStepsSparkTest extends SparkTestBase {

    static final int TRAIN = 1037;
    static final int TEST = 301;

    @TempDir
    static Path dir;
    static Batch train;
    static Batch test;

    @BeforeAll
    static void data() throws IOException {
        TinyMnist.write(dir, TRAIN, TEST, 43, false);
        train = DistributedTrainerTest.read(dir, "train");
        test = DistributedTrainerTest.read(dir, "t10k");
    }

    static final Mlp MODEL = new Mlp(Layout.mnist(new int[]{24}, true), Loss.XENT);
    static final int BLOCK = 16;
    static final int REPLICAS = 3;

    static Trainer trainer(Deformation deformation) {
        return new Trainer(Loss.XENT, new LrSchedule(LrSchedule.Kind.COSINE, 0.1, 1, 1, 3),
                3, 2 * REPLICAS, 5).withLocalSteps(new Trainer.Rounds(REPLICAS, 3,
                new OptimizerSpec(OptimizerKind.MOMENTUM, 0.9, 0.9, 0.999, 0), 1.0)).withDeformation(deformation);
    }

    /** The outer optimizer {@code average} or {@code nesterov} (μ 0.9) for {@code size} parameters. */
    static OuterOptimizer outer(String name, int size) {
        return new OuterOptimizer(OuterOptimizer.Kind.valueOf(name.toUpperCase(java.util.Locale.ROOT)), size, 0.9);
    }

    static List<EpochMetrics> run(String outer, GradientSource train, GradientSource test, double[] params)
            throws Exception {
        return run(outer, Deformation.NONE, train, test, params);
    }

    static List<EpochMetrics> run(String outer, Deformation deformation, GradientSource train, GradientSource test,
                                  double[] params) throws Exception {
        List<EpochMetrics> epochs = new ArrayList<>();
        trainer(deformation).train(params, outer(outer, params.length), 1, train, test, (m, p) -> epochs.add(m));
        return epochs;
    }

    static List<EpochMetrics> spark(String outer, int partitions, boolean fail, double[] params) throws Exception {
        return spark(outer, Deformation.NONE, partitions, fail, params);
    }

    static List<EpochMetrics> spark(String outer, Deformation deformation, int partitions, boolean fail, double[] params)
            throws Exception {
        HadoopFs fs = new HadoopFs(sc.hadoopConfiguration());
        IdxFile images = IdxFile.open(fs, dir.resolve("train-images-idx3-ubyte").toUri().toString());
        IdxFile labels = IdxFile.open(fs, dir.resolve("train-labels-idx1-ubyte").toUri().toString());
        JavaRDD<Block> tr = Blocks.loadReplicas(sc, images, labels, BLOCK, partitions, REPLICAS,
                io.shardprop.core.linalg.Precision.FLOAT64, "train");
        JavaRDD<Block> te = DistributedTrainerTest.load(fs, dir, "t10k", "", BLOCK, partitions);
        int blocks = Block.ranges(TRAIN, BLOCK).size();
        assertTrue(tr.getNumPartitions() <= REPLICAS, "a partition holds whole replicas");
        try (InjectedFailures.Count failures = new InjectedFailures.Count(sc.sc())) {
            SparkData train = new SparkData(sc, fail ? InjectedFailures.firstAttemptsFail(tr) : tr, blocks, MODEL);
            List<EpochMetrics> epochs = run(outer, deformation, train, new SparkData(sc, te, blocks, MODEL), params);
            if (fail) {
                assertTrue(failures.failures() > 0, "no injected task failure happened");
            }
            return epochs;
        } finally {
            tr.unpersist(true);
            te.unpersist(true);
        }
    }

    static void assertSameAsLocal(String outer, double[] params, List<EpochMetrics> epochs) throws Exception {
        assertSameAsLocal(outer, Deformation.NONE, params, epochs);
    }

    static void assertSameAsLocal(String outer, Deformation deformation, double[] params, List<EpochMetrics> epochs)
            throws Exception {
        double[] want = Init.HE.draw(MODEL.layout(), 3);
        List<EpochMetrics> reference = run(outer, deformation, new LocalData(MODEL, train, BLOCK),
                new LocalData(MODEL, test, BLOCK), want);
        assertArrayEquals(want, params, "weights must be bitwise identical");
        for (int e = 0; e < reference.size(); e++) {
            assertEquals(reference.get(e).trainLoss(), epochs.get(e).trainLoss(), 0.0, "loss, epoch " + e);
            assertEquals(reference.get(e).testAccuracy(), epochs.get(e).testAccuracy(), 0.0, "test accuracy " + e);
        }
        assertTrue(epochs.get(2).trainLoss() < epochs.get(0).trainLoss(), "it trains");
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2, 3, 7})
    void replicasOnSparkAreBitwiseTheSingleProcessRun(int partitions) throws Exception {
        double[] params = Init.HE.draw(MODEL.layout(), 3);
        assertSameAsLocal("average", params, spark("average", partitions, false, params));
    }

    @Test
    void nesterovOuterStepsWithRetriedTasksAreBitwiseTheSingleProcessRun() throws Exception {
        start("local[2,4]");
        try {
            double[] params = Init.HE.draw(MODEL.layout(), 3);
            assertSameAsLocal("nesterov", params, spark("nesterov", 2, true, params));
        } finally {
            start("local[2]");
        }
    }

    /** Deformed images are the same wherever a block runs: still the single-process bits. */
    @Test
    void deformedImagesOnSparkAreBitwiseTheSingleProcessRunAndChangeTheWeights() throws Exception {
        Deformation deformation = new Deformation(28, 28, 1, 4.0, 30.0, 15, 0.15, 10);
        double[] params = Init.HE.draw(MODEL.layout(), 3);
        assertSameAsLocal("average", deformation, params, spark("average", deformation, 2, false, params));
        double[] unshifted = Init.HE.draw(MODEL.layout(), 3);
        run("average", new LocalData(MODEL, train, BLOCK), new LocalData(MODEL, test, BLOCK), unshifted);
        assertFalse(java.util.Arrays.equals(unshifted, params), "the deformation changed nothing");
    }
}
