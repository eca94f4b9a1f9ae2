package io.shardprop.job.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.data.Idx;
import io.shardprop.core.data.IdxImages;
import io.shardprop.core.data.Deformation;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.optim.OptimizerKind;
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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark gradient source against the single-process one, through the same {@link Trainer}: with the
 * same blocks and steps, sums are exact, so the weights and metrics are the same bits whatever the
 * partition count.
 */
class DistributedTrainerTest extends SparkTestBase {

    static final int TRAIN = 1037;  // blocks of 128: 8 full and a last one of 13
    static final int TEST = 301;

    @TempDir
    static Path dir;
    private static Batch train;
    private static Batch test;

    @BeforeAll
    static void data() throws IOException {
        TinyMnist.write(dir, TRAIN, TEST, 42, false);
        train = read(dir, "train");
        test = read(dir, "t10k");
    }

    /** A run: model, optimizer, epochs, block size, blocks per step (0 = full batch) and the images' shift. */
    record Recipe(Mlp model, OptimizerKind optimizer, double lr, int epochs, int blockSize, int blocksPerStep,
                  Deformation deformation) {
        Recipe(Mlp model, OptimizerKind optimizer, double lr, int epochs, int blockSize, int blocksPerStep) {
            this(model, optimizer, lr, epochs, blockSize, blocksPerStep, Deformation.NONE);
        }

        Trainer trainer() {
            return new Trainer(model.loss(), LrSchedule.constant(lr), epochs, blocksPerStep, 11).withDeformation(deformation);
        }

        Optimizer optimizer(int size) {
            return new io.shardprop.core.optim.OptimizerSpec(optimizer, 0.9, 0.9, 0.999, 0.0).create(size);
        }
    }

    static final Recipe SEED = new Recipe(new Mlp(Layout.mnist(16), Loss.SEED), OptimizerKind.SGD, 1e-4, 5, 128, 0);
    static final Recipe ADAM = new Recipe(new Mlp(Layout.mnist(new int[]{24, 12}, true), Loss.XENT), OptimizerKind.ADAM, 1e-3,
            3, 32, 4);
    static final Recipe SHIFTED = new Recipe(ADAM.model(), OptimizerKind.ADAM, 1e-3, 3, 32, 4,
            new Deformation(28, 28, 2, 4.0, 1.0, 2, 0.02, 2));

    static List<EpochMetrics> run(Recipe r, GradientSource trainData, GradientSource testData, double[] params)
            throws Exception {
        List<EpochMetrics> epochs = new ArrayList<>();
        r.trainer().train(params, r.optimizer(params.length), 1, trainData, testData, (m, p) -> epochs.add(m));
        return epochs;
    }

    static List<EpochMetrics> distributed(Recipe r, Path data, String ext, int partitions, double[] params)
            throws Exception {
        return distributed(r, data, ext, partitions, params, false);
    }

    static List<EpochMetrics> distributed(Recipe r, Path data, String ext, int partitions, double[] params,
                                          boolean failFirstAttempts) throws Exception {
        HadoopFs fs = new HadoopFs(sc.hadoopConfiguration());
        JavaRDD<Block> tr = load(fs, data, "train", ext, r.blockSize, partitions);
        JavaRDD<Block> te = load(fs, data, "t10k", ext, r.blockSize, partitions);
        int blocks = Block.ranges(TRAIN, r.blockSize).size();
        try (InjectedFailures.Count failures = new InjectedFailures.Count(sc.sc())) {
            SparkData trainData = new SparkData(sc, failFirstAttempts ? InjectedFailures.firstAttemptsFail(tr) : tr,
                    blocks, r.model);
            List<EpochMetrics> epochs = run(r, trainData, new SparkData(sc, te, blocks, r.model), params);
            if (failFirstAttempts) {
                // every step's job failed its even tasks once
                assertTrue(failures.failures() >= r.epochs, failures.failures() + " injected task failures");
            }
            return epochs;
        } finally {
            tr.unpersist(true);
            te.unpersist(true);
        }
    }

    static JavaRDD<Block> load(HadoopFs fs, Path data, String prefix, String ext, int blockSize, int partitions)
            throws IOException {
        IdxFile images = IdxFile.open(fs, data.resolve(prefix + "-images-idx3-ubyte" + ext).toUri().toString());
        IdxFile labels = IdxFile.open(fs, data.resolve(prefix + "-labels-idx1-ubyte" + ext).toUri().toString());
        return Blocks.load(sc, images, labels, blockSize, partitions, prefix);
    }

    /** The distributed run's weights and metrics equal the single-process trainer's on the same files in {@code data}. */
    static void assertAgrees(Recipe r, Path data, double[] params, List<EpochMetrics> epochs) throws Exception {
        double[] want = Init.NORMAL.draw(r.model.layout(), 7);
        List<EpochMetrics> reference = run(r, new LocalData(r.model, read(data, "train"), r.blockSize),
                new LocalData(r.model, read(data, "t10k"), r.blockSize), want);
        assertEquals(r.epochs, epochs.size());
        assertArrayEquals(want, params, "weights must be bitwise identical");
        for (int e = 0; e < r.epochs; e++) {
            EpochMetrics a = reference.get(e);
            EpochMetrics b = epochs.get(e);
            assertEquals(e + 1, b.epoch());
            assertEquals(a.trainLoss(), b.trainLoss(), 0.0, "loss, epoch " + e);
            assertEquals(a.trainAccuracy(), b.trainAccuracy(), 0.0, "accuracy, epoch " + e);
            assertEquals(a.testLoss(), b.testLoss(), 0.0, "test loss, epoch " + e);
            assertEquals(a.testAccuracy(), b.testAccuracy(), 0.0, "test accuracy, epoch " + e);
        }
        // the data must actually train, or agreement would prove little (its classes are coded by pixel position,
        // which deformations scramble: a deformed run is checked against the undeformed one instead)
        if (r.deformation.none()) {
            assertTrue(epochs.get(r.epochs - 1).testLoss() < reference.get(0).trainLoss(), "loss decreases");
        }
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2, 3, 7, 16})
    void fullBatchMatchesTheSingleProcessTrainerWhateverThePartitionCount(int partitions) throws Exception {
        double[] params = Init.NORMAL.draw(SEED.model.layout(), 7);
        assertAgrees(SEED, dir, params, distributed(SEED, dir, "", partitions, params));
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2, 3, 7, 16})
    void miniBatchAdamOnADeeperNetMatchesTheSingleProcessTrainer(int partitions) throws Exception {
        double[] params = Init.NORMAL.draw(ADAM.model.layout(), 7);
        assertAgrees(ADAM, dir, params, distributed(ADAM, dir, "", partitions, params));
    }

    /** Deformations on the synchronous trainer: each sample deformed alike wherever it runs, and it changes the run. */
    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2, 3})
    void deformedMiniBatchesMatchTheSingleProcessTrainer(int partitions) throws Exception {
        double[] params = Init.NORMAL.draw(SHIFTED.model.layout(), 7);
        assertAgrees(SHIFTED, dir, params, distributed(SHIFTED, dir, "", partitions, params));
        double[] unshifted = Init.NORMAL.draw(ADAM.model.layout(), 7);
        run(ADAM, new LocalData(ADAM.model, train, ADAM.blockSize), new LocalData(ADAM.model, test, ADAM.blockSize),
                unshifted);
        assertFalse(java.util.Arrays.equals(unshifted, params), "the deformation changed nothing");
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 3})
    void float32MatchesTheSingleProcessTrainerBitwise(int partitions) throws Exception {
        HadoopFs fs = new HadoopFs(sc.hadoopConfiguration());
        IdxFile images = IdxFile.open(fs, dir.resolve("train-images-idx3-ubyte").toUri().toString());
        IdxFile labels = IdxFile.open(fs, dir.resolve("train-labels-idx1-ubyte").toUri().toString());
        JavaRDD<Block> tr = Blocks.load(sc, images, labels, SEED.blockSize, partitions, Precision.FLOAT32, "train32");
        JavaRDD<Block> te = load(fs, dir, "t10k", "", SEED.blockSize, partitions);
        double[] params = Init.NORMAL.draw(SEED.model.layout(), 7);
        int blocks = Block.ranges(TRAIN, SEED.blockSize).size();
        try {
            run(SEED, new SparkData(sc, tr, blocks, SEED.model), new SparkData(sc, te, blocks, SEED.model), params);
        } finally {
            tr.unpersist(true);
            te.unpersist(true);
        }
        double[] local = Init.NORMAL.draw(SEED.model.layout(), 7);
        run(SEED, new LocalData(SEED.model, train.in(Precision.FLOAT32), SEED.blockSize),
                new LocalData(SEED.model, test, SEED.blockSize), local);
        assertArrayEquals(local, params, "weights must be bitwise identical");
        double[] float64 = Init.NORMAL.draw(SEED.model.layout(), 7);
        run(SEED, new LocalData(SEED.model, train, SEED.blockSize), new LocalData(SEED.model, test, SEED.blockSize), float64);
        double diff = 0;
        for (int i = 0; i < params.length; i++) {
            diff = Math.max(diff, Math.abs(params[i] - float64[i]));
        }
        assertTrue(diff > 0 && diff < 1e-4, "float32 weights differ from float64 ones by " + diff);
    }

    @Test
    void gzippedFilesGiveTheSameResult() throws Exception {
        Path gz = Files.createDirectory(dir.resolve("gz"));
        TinyMnist.write(gz, TRAIN, TEST, 42, true);
        double[] params = Init.NORMAL.draw(SEED.model.layout(), 7);
        assertAgrees(SEED, dir, params, distributed(SEED, gz, ".gz", 3, params));
    }

    static Batch read(Path dir, String prefix) throws IOException {
        IdxImages images;
        byte[] labels;
        try (InputStream in = Files.newInputStream(dir.resolve(prefix + "-images-idx3-ubyte"))) {
            images = Idx.readImages(in, prefix);
        }
        try (InputStream in = Files.newInputStream(dir.resolve(prefix + "-labels-idx1-ubyte"))) {
            labels = Idx.readLabels(in, prefix);
        }
        return Batch.fromBytes(images.pixels(), 784, labels, 0, images.count());
    }
}
