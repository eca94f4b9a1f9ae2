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
    public record Frames(Dataset<Row> train, String trainSource, Dataset<Row> test, String testSource,
                         Dataset<Row> validation, String validationSource) {
        /** Training and test rows, no validation rows. */
        public Frames(Dataset<Row> train, String trainSource, Dataset<Row> test, String testSource) {
            this(train, trainSource, test, testSource, null, null);
        }
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
    public record Columns(String features, String label, int classes, int width, IntFunction<String> wrongWidth,
                          String weight, boolean regression) {
        /** The columns {@code train --format} reads rows into ({@link FrameSource}), classes from the labels. */
        public static final Columns TRAIN = new Columns(FrameSource.FEATURES, FrameSource.LABEL, 0, 0, null);

        /** Class labels, no weights. */
        public Columns(String features, String label, int classes, int width, IntFunction<String> wrongWidth) {
            this(features, label, classes, width, wrongWidth, null, false);
        }

        /** These columns with a weight column ({@code null}: none) and labels that are classes or real targets. */
        public Columns with(String weightCol, boolean realTargets) {
            return new Columns(features, label, classes, width, wrongWidth, weightCol, realTargets);
        }

        /** The roles of the columns, as {@link FrameBlocks} reads them. */
        public FrameBlocks.Roles roles() {
            return new FrameBlocks.Roles(features, label, weight, regression);
        }
    }

    private final Function<SparkSession, Frames> reader;
    private final Columns columns;
    private final String scaling;
    private Frames frames;
    private FrameBlocks.Shape trainShape;
    private FrameBlocks.Shape testShape;
    private FrameBlocks.Shape validationShape;
    private io.shardprop.core.model.TargetScaling targetScaling;

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

    /**
     * Whether a regression's targets are standardized ({@code --target-scaling standardize}); set before {@link #scan}
     * by the workflow. Default: not.
     */
    private boolean standardize;

    /** Standardizes a regression's targets for training (see {@link io.shardprop.core.model.TargetScaling}). */
    public FrameData standardizingTargets(boolean on) {
        this.standardize = on;
        return this;
    }

    @Override
    public Shape scan(SparkSession spark) {
        frames = reader.apply(spark);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        FrameBlocks.Roles roles = columns.roles();
        sc.setJobDescription("check the training rows");
        FrameBlocks.Shape train = FrameBlocks.scan(frames.train(), roles, columns.classes(), frames.trainSource());
        trainShape = train;
        if (columns.width() > 0 && train.width() != columns.width()) {
            throw new UsageException(columns.wrongWidth().apply(train.width()));
        }
        int k = columns.regression() ? train.targets().outputs()
                : columns.classes() > 0 ? columns.classes() : Math.max(2, train.maxLabel() + 1);
        targetScaling = standardize && train.targets() != null
                ? io.shardprop.core.model.TargetScaling.of(train.targets().mean(), train.targets().std()) : null;
        long testRows = 0;
        if (frames.test() != null) {
            sc.setJobDescription("check the test rows");
            testShape = checkedLike(train, FrameBlocks.scan(frames.test(), roles, k, frames.testSource()), "--test",
                    frames.testSource());
            testRows = testShape.rows();
        }
        long validationRows = 0;
        if (frames.validation() != null) {
            sc.setJobDescription("check the validation rows");
            validationShape = checkedLike(train, FrameBlocks.scan(frames.validation(), roles, k,
                    frames.validationSource()), "--validation", frames.validationSource());
            validationRows = validationShape.rows();
        }
        return new Shape(train.rows(), testRows, train.width(), k, validationRows, targetScaling);
    }

    /** {@code other}, if its rows are as wide as the training rows (and have as many targets). */
    private static FrameBlocks.Shape checkedLike(FrameBlocks.Shape train, FrameBlocks.Shape other, String option,
                                                 String source) {
        if (other.width() != train.width()) {
            throw new UsageException(option, option + ": " + source + ": rows of " + other.width()
                    + " values, the training rows have " + train.width());
        }
        if (train.targets() != null && other.targets().outputs() != train.targets().outputs()) {
            throw new UsageException(option, option + ": " + source + ": rows of " + other.targets().outputs()
                    + " targets, the training rows have " + train.targets().outputs());
        }
        return other;
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
                targetScaling, "training");
        // the test rows as bytes when the training rows are and no test value is lost; their targets as they are (the
        // passes that evaluate them take the weights with the scaling folded in)
        SparkData test = testShape == null ? null : blocks(sc, frames.test(), testShape, cfg, partitions, 0,
                Precision.FLOAT64, bytes ? testShape.bytes() : null, model, null, "test");
        SparkData validation = validationShape == null ? null : blocks(sc, frames.validation(), validationShape, cfg,
                partitions, 0, Precision.FLOAT64, bytes ? validationShape.bytes() : null, model, null, "validation");
        return Sources.of(train, test, validation);
    }

    private SparkData blocks(JavaSparkContext sc, Dataset<Row> df, FrameBlocks.Shape shape, TrainConfig cfg,
                             int partitions, int replicas, Precision precision, ByteMat.Code bytes, Mlp model,
                             io.shardprop.core.model.TargetScaling targets, String name) {
        var blocks = FrameBlocks.load(df, columns.roles(), shape, cfg.effectiveBlockSize(), partitions, replicas,
                precision, bytes, targets, name);
        return SparkData.cached(sc, blocks, model, name, SparkData.cacheType(precision, bytes != null), shape.rows());
    }

    @Override
    public RunData describe(Shape shape) {
        Map<String, ModelManifest.DataFile> files = new LinkedHashMap<>();
        files.put("train", new ModelManifest.DataFile(frames.trainSource(), null, (int) shape.train()));
        if (frames.test() != null) {
            files.put("test", new ModelManifest.DataFile(frames.testSource(), null, (int) shape.test()));
        }
        if (frames.validation() != null) {
            files.put("validation", new ModelManifest.DataFile(frames.validationSource(), null, (int) shape.validation()));
        }
        return new RunData(files, scaling, shape.train(), 0, 0);
    }
}
