package io.shardprop.job.train;

import io.shardprop.core.linalg.ByteMat;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Mlp;
import io.shardprop.job.config.TrainConfig;
import io.shardprop.job.config.TrainOptions;
import io.shardprop.job.data.FrameBlocks;
import io.shardprop.job.data.FrameSource;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.model.ModelManifest;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Rows of a DataFrame: a vector column of features and a numeric column of integer labels, read from LibSVM,
 * Parquet or CSV files by {@code train --format}, or given to {@code ShardPropClassifier.fit}. Every row is
 * checked in one job ({@link FrameBlocks#scan}) before anything trains; the width and (unless given) the class
 * count come from the data.
 */
public final class FrameData implements TrainingData {

    /**
     * The rows.
     *
     * @param train       the training rows
     * @param trainSource where they came from, to start messages and for {@code model.json}
     * @param test        the test rows, or null (a {@code fit})
     * @param testSource  where those came from
     */
    public record Frames(Dataset<Row> train, String trainSource, Dataset<Row> test, String testSource) {
    }

    /**
     * Where a row's features and label are, and what they must be.
     *
     * @param features   the features column
     * @param label      the label column
     * @param classes    the class count, or 0 to take the largest label + 1 (2 at least)
     * @param width      the features' count, or 0 to take it from the rows
     * @param wrongWidth with a width: the message for rows of another width (given theirs)
     */
    public record Columns(String features, String label, int classes, int width, IntFunction<String> wrongWidth) {
        /** The columns {@code train --format} reads rows into ({@link FrameSource}), classes from the labels. */
        public static final Columns TRAIN = new Columns(FrameSource.FEATURES, FrameSource.LABEL, 0, 0, null);
    }

    private final Function<SparkSession, Frames> reader;
    private final Columns columns;
    private final String scaling;
    private Frames frames;
    private FrameBlocks.Shape trainShape;
    private FrameBlocks.Shape testShape;

    /**
     * @param reader  reads the rows once Spark runs
     * @param scaling how the features were scaled, for {@code model.json}
     */
    public FrameData(Function<SparkSession, Frames> reader, Columns columns, String scaling) {
        this.reader = reader;
        this.columns = columns;
        this.scaling = scaling;
    }

    @Override
    public Shape knownShape() {
        return null;
    }

    @Override
    public Shape scan(SparkSession spark) {
        frames = reader.apply(spark);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        sc.setJobDescription("check the training rows");
        FrameBlocks.Shape train = FrameBlocks.scan(frames.train(), columns.features(), columns.label(),
                columns.classes(), frames.trainSource());
        trainShape = train;
        if (columns.width() > 0 && train.width() != columns.width()) {
            throw new UsageException(columns.wrongWidth().apply(train.width()));
        }
        int k = columns.classes() > 0 ? columns.classes() : Math.max(2, train.maxLabel() + 1);
        if (frames.test() == null) {
            return new Shape(train.rows(), 0, train.width(), k);
        }
        sc.setJobDescription("check the test rows");
        FrameBlocks.Shape test = FrameBlocks.scan(frames.test(), columns.features(), columns.label(), k,
                frames.testSource());
        testShape = test;
        if (test.width() != train.width()) {
            throw new UsageException("--test", "--test: " + frames.testSource() + ": rows of " + test.width()
                    + " values, the training rows have " + train.width());
        }
        return new Shape(train.rows(), test.rows(), train.width(), k);
    }

    @Override
    public Sources onSpark(JavaSparkContext sc, TrainConfig cfg, Mlp model, int partitions) {
        if (trainShape == null) {
            throw new IllegalStateException("scan the rows first");
        }
        Precision precision = cfg.get(TrainOptions.PRECISION);
        boolean bytes = cfg.cachesBytes(trainShape.bytes(), "the training rows");
        SparkData train = blocks(sc, frames.train(), trainShape, cfg, partitions,
                cfg.sync().enabled() ? cfg.sync().replicas() : 0, precision, bytes ? trainShape.bytes() : null, model,
                "training");
        // the test rows as bytes when the training rows are and no test value is lost
        SparkData test = testShape == null ? null : blocks(sc, frames.test(), testShape, cfg, partitions, 0,
                Precision.FLOAT64, bytes ? testShape.bytes() : null, model, "test");
        return Sources.of(train, test);
    }

    private SparkData blocks(JavaSparkContext sc, Dataset<Row> df, FrameBlocks.Shape shape, TrainConfig cfg,
                             int partitions, int replicas, Precision precision, ByteMat.Code bytes, Mlp model,
                             String name) {
        var blocks = FrameBlocks.load(df, columns.features(), columns.label(), shape, cfg.effectiveBlockSize(),
                partitions, replicas, precision, bytes, name);
        return SparkData.cached(sc, blocks, model, name, SparkData.cacheType(precision, bytes != null), shape.rows());
    }

    @Override
    public RunData describe(Shape shape) {
        Map<String, ModelManifest.DataFile> files = new LinkedHashMap<>();
        files.put("train", new ModelManifest.DataFile(frames.trainSource(), null, (int) shape.train()));
        if (frames.test() != null) {
            files.put("test", new ModelManifest.DataFile(frames.testSource(), null, (int) shape.test()));
        }
        return new RunData(files, scaling, shape.train(), 0, 0);
    }
}
