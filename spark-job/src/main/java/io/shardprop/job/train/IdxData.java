package io.shardprop.job.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.linalg.ByteMat;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.train.LocalData;
import io.shardprop.job.config.TrainConfig;
import io.shardprop.job.config.TrainOptions;
import io.shardprop.job.data.BlockMemory;
import io.shardprop.job.data.LocalFiles;
import io.shardprop.job.data.MnistFiles;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.report.Plots;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;

/** MNIST's four IDX files (plain or gzip), their headers checked before Spark starts. */
public final class IdxData implements TrainingData {

    private final HadoopFs fs;
    private final MnistFiles files;

    private IdxData(HadoopFs fs, MnistFiles files) {
        this.fs = fs;
        this.files = files;
    }

    /**
     * The files of {@code inputs}, their headers read and checked against each other.
     *
     * @throws io.shardprop.job.error.UsageException naming the option of a missing or malformed file
     */
    public static IdxData open(HadoopFs fs, TrainConfig.Inputs inputs) {
        return new IdxData(fs, MnistFiles.open(fs, new String[]{"--train-images", "--train-labels", "--test-images",
            "--test-labels"}, new String[]{inputs.trainImages(), inputs.trainLabels(), inputs.testImages(),
            inputs.testLabels()}));
    }

    @Override
    public Shape knownShape() {
        return new Shape(files.trainImages().count(), files.testImages().count(), files.pixels(),
                Layout.MNIST_CLASSES);
    }

    @Override
    public Shape scan(SparkSession spark) {
        return knownShape();
    }

    @Override
    public Sources onSpark(JavaSparkContext sc, TrainConfig cfg, Mlp model, int partitions) {
        int blockSize = cfg.effectiveBlockSize();
        Precision precision = cfg.get(TrainOptions.PRECISION);
        boolean bytes = cfg.cachesBytes(ByteMat.Code.PIXEL, "the training images");
        int pixels = files.pixels();
        long executor = BlockMemory.executorHeap(sc.sc());
        BlockMemory.requireFits(Math.min(blockSize, files.trainImages().count()), pixels,
                bytes ? 1 : precision.bytes(), bytes ? precision.bytes() : 0, executor);
        BlockMemory.requireFits(Math.min(blockSize, files.testImages().count()), pixels,
                bytes ? 1 : Double.BYTES, bytes ? Double.BYTES : 0, executor);
        SparkData train = !cfg.sync().enabled()
                ? SparkData.load(sc, files.trainImages(), files.trainLabels(), blockSize, partitions, model, precision,
                bytes, "training")
                : SparkData.loadReplicas(sc, files.trainImages(), files.trainLabels(), blockSize, partitions,
                cfg.sync().replicas(), model, precision, bytes, "training");
        SparkData test = SparkData.load(sc, files.testImages(), files.testLabels(), blockSize, partitions, model,
                Precision.FLOAT64, bytes, "test").keepMistakes(Plots.MAX_MISTAKES);
        return Sources.of(train, test);
    }

    @Override
    public Sources inProcess(TrainConfig cfg, Mlp model) throws IOException {
        Precision precision = cfg.get(TrainOptions.PRECISION);
        boolean bytes = cfg.cachesBytes(ByteMat.Code.PIXEL, "the training images");
        LocalData train = new LocalData(model, LocalFiles.read(fs, files.trainImages(), files.trainLabels(),
                precision, bytes), cfg.effectiveBlockSize());
        Batch testSet = LocalFiles.read(fs, files.testImages(), files.testLabels(), Precision.FLOAT64, bytes);
        LocalData test = new LocalData(model, testSet, cfg.effectiveBlockSize()).keepMistakes(Plots.MAX_MISTAKES);
        return new Sources(train, test, () -> { });
    }

    @Override
    public RunData describe(Shape shape) {
        return RunData.of(files);
    }
}
