package io.shardprop.job.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Idx;
import io.shardprop.core.data.IdxImages;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.core.train.FullBatchTrainer;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distributed trainer against the single-process reference: only the summation order may differ. */
class DistributedTrainerTest extends SparkTestBase {

    static final int TRAIN = 1037;  // 8 blocks of 128 and a last block of 13
    static final int TEST = 301;
    static final int EPOCHS = 5;
    static final double LR = 1e-4;
    static final Layout LAYOUT = Layout.mnist(16);

    @TempDir
    static Path dir;
    static double[] referenceParams;
    static List<EpochMetrics> reference = new ArrayList<>();

    @BeforeAll
    static void singleProcessReference() throws IOException {
        TinyMnist.write(dir, TRAIN, TEST, 42, false);
        Batch train = read(dir, "train");
        Batch test = read(dir, "t10k");
        referenceParams = Init.normal(LAYOUT, 7);
        new FullBatchTrainer(LAYOUT, LR, EPOCHS).train(referenceParams, train, test, reference::add);
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

    static List<EpochMetrics> trainDistributed(Path data, String ext, int partitions, int blockSize, double[] params)
            throws IOException {
        HadoopFs fs = new HadoopFs(sc.hadoopConfiguration());
        IdxFile trainImages = IdxFile.open(fs, data.resolve("train-images-idx3-ubyte" + ext).toUri().toString());
        IdxFile trainLabels = IdxFile.open(fs, data.resolve("train-labels-idx1-ubyte" + ext).toUri().toString());
        IdxFile testImages = IdxFile.open(fs, data.resolve("t10k-images-idx3-ubyte" + ext).toUri().toString());
        IdxFile testLabels = IdxFile.open(fs, data.resolve("t10k-labels-idx1-ubyte" + ext).toUri().toString());
        JavaRDD<Batch> train = Blocks.load(sc, trainImages, trainLabels, blockSize, partitions, "train");
        JavaRDD<Batch> test = Blocks.load(sc, testImages, testLabels, blockSize, partitions, "test");
        List<EpochMetrics> epochs = new ArrayList<>();
        try {
            new DistributedTrainer(sc, LAYOUT, LR, EPOCHS).train(params, train, test, (m, p) -> epochs.add(m));
        } finally {
            train.unpersist(true);
            test.unpersist(true);
        }
        return epochs;
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2, 3, 7})
    void weightsMatchTheSingleProcessTrainerWhateverThePartitionCount(int partitions) throws IOException {
        double[] params = Init.normal(LAYOUT, 7);
        List<EpochMetrics> epochs = trainDistributed(dir, "", partitions, 128, params);
        assertAgrees(epochs, params);
    }

    @Test
    void gzippedFilesGiveTheSameResult() throws IOException {
        Path gz = Files.createDirectory(dir.resolve("gz"));
        TinyMnist.write(gz, TRAIN, TEST, 42, true);
        double[] params = Init.normal(LAYOUT, 7);
        assertAgrees(trainDistributed(gz, ".gz", 3, 100, params), params);
    }

    private static void assertAgrees(List<EpochMetrics> epochs, double[] params) {
        assertEquals(EPOCHS, epochs.size());
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < params.length; i++) {
            scale = Math.max(scale, Math.abs(referenceParams[i]));
            diff = Math.max(diff, Math.abs(params[i] - referenceParams[i]));
        }
        assertTrue(diff / scale <= 1e-12, "max |ΔW| / max |W| = " + diff / scale);
        for (int e = 0; e < EPOCHS; e++) {
            EpochMetrics want = reference.get(e);
            EpochMetrics got = epochs.get(e);
            assertEquals(e + 1, got.epoch());
            assertEquals(want.trainLoss(), got.trainLoss(), 1e-12 * Math.abs(want.trainLoss()), "loss, epoch " + e);
            assertEquals(want.trainAccuracy(), got.trainAccuracy(), 0.0, "accuracy, epoch " + e);
            assertEquals(want.testLoss(), got.testLoss(), 1e-12 * Math.abs(want.testLoss()), "test loss, epoch " + e);
            assertEquals(want.testAccuracy(), got.testAccuracy(), 0.0, "test accuracy, epoch " + e);
        }
        // the data must actually train, or agreement would prove little
        assertTrue(epochs.get(EPOCHS - 1).trainLoss() < epochs.get(0).trainLoss(), "loss decreases");
    }
}
