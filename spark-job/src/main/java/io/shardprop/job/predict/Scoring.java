package io.shardprop.job.predict;

import io.shardprop.core.data.Block;
import io.shardprop.core.linalg.Precision;
import io.shardprop.job.data.FrameBlocks;
import io.shardprop.job.data.FrameSource;
import io.shardprop.job.data.IdxFile;
import io.shardprop.job.data.ImageBlock;
import io.shardprop.job.data.ImageBlocks;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.eval.Evaluation;
import io.shardprop.job.eval.EvaluationOutput;
import io.shardprop.job.eval.EvaluationReport;
import io.shardprop.job.eval.Evaluator;
import io.shardprop.job.io.BuildInfo;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.output.MarkedOutput;
import io.shardprop.job.io.SparkRun;
import io.shardprop.job.model.SavedModel;
import io.shardprop.job.model.Scorer;
import io.shardprop.job.report.Plots;
import io.shardprop.job.train.SparkData;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The work of {@code evaluate} and {@code predict} on a saved model, once their options and files are checked:
 * the data as cached blocks of {@code blockSize} rows (IDX images, or LibSVM/Parquet/CSV rows checked in one job
 * against the model's width), then training's own test pass and the evaluation's report and files, or one
 * broadcast of the weights and the predictions in input order.
 *
 * @param saved      the model
 * @param blockSize  rows per block
 * @param partitions the partitions of the blocks; 0: the cluster's default parallelism
 */
public record Scoring(SavedModel saved, int blockSize, int partitions) {

    /** Where the rows of a LibSVM, Parquet or CSV file come from once Spark runs, and the option naming it. */
    public record Rows(String option, String uri, String format, Function<SparkSession, Dataset<Row>> reader) {
    }

    /** Training's own test pass over the IDX {@code images} and {@code labels}: the same blocks, sums and bits. */
    public void evaluate(IdxFile images, IdxFile labels, EvaluationOutput output, boolean overwrite) throws Exception {
        marked("evaluate", output.dir(), overwrite, "ShardProp evaluate", (spark, sc, p) -> {
            SparkData test = SparkData.load(sc, images, labels, blockSize, p, saved.model(), Precision.FLOAT64,
                    "evaluation").keepMistakes(Plots.MAX_MISTAKES);
            test.describe("evaluate " + saved.describe() + " on " + images.name());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("images", images.uri());
            data.put("labels", labels.uri());
            data.put("count", images.count());
            report(evaluated(test, images.rows(), images.cols()), images.name(),
                    images.count() + " images", data, output, sc);
        });
    }

    /** The same over rows: checked in one job (bad input exits 2), labels below the model's class count. */
    public void evaluate(Rows rows, EvaluationOutput output, boolean overwrite) throws Exception {
        marked("evaluate", output.dir(), overwrite, "ShardProp evaluate", (spark, sc, p) -> {
            Dataset<Row> df = rows.reader().apply(spark);
            String weight = java.util.Arrays.asList(df.columns()).contains(FrameSource.WEIGHT) ? FrameSource.WEIGHT : null;
            FrameBlocks.Roles roles = new FrameBlocks.Roles(FrameSource.FEATURES, FrameSource.LABEL, weight,
                    saved.model().loss().regression());
            FrameBlocks.Shape shape = scan(rows, df, roles, saved.layout().classes());
            JavaRDD<Block> blocks = FrameBlocks.load(df, roles, shape, blockSize, p, 0, Precision.FLOAT64, null, null,
                    "evaluation");
            SparkData test = new SparkData(sc, blocks, (int) blocks.count(), saved.model());
            test.describe("evaluate " + saved.describe() + " on " + rows.uri());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("rows", rows.uri());
            data.put("format", rows.format());
            data.put("count", shape.rows());
            report(evaluated(test, 0, 0), rows.uri(), shape.rows() + " rows", data, output, sc);
        });
    }

    /** A predicted label and the probabilities for every IDX image, in input order, into {@code target}. */
    public void predict(IdxFile images, String target, Predictions.Format format, boolean overwrite) throws Exception {
        marked("predict", target, overwrite, "ShardProp predict", (spark, sc, p) -> {
            sc.setJobDescription("predict " + images.name() + " with " + saved.describe());
            write(spark, ImageBlocks.load(sc, images, blockSize, p, "images to predict"), target, format, "images");
        });
    }

    /** The same for every row (its label, if any, ignored). */
    public void predict(Rows rows, String target, Predictions.Format format, boolean overwrite) throws Exception {
        marked("predict", target, overwrite, "ShardProp predict", (spark, sc, p) -> {
            Dataset<Row> df = rows.reader().apply(spark);
            FrameBlocks.Shape shape = scan(rows, df, FrameBlocks.Roles.of(FrameSource.FEATURES, FrameSource.LABEL), 0);
            write(spark, FrameBlocks.load(df, FrameSource.FEATURES, FrameSource.LABEL, shape, blockSize, p, 0,
                            Precision.FLOAT64, "rows to predict")
                    .map(b -> new ImageBlock(b.index(), b.first(), b.data().x64())), target, format, "rows");
        });
    }

    private Evaluation evaluated(SparkData test, int imageRows, int imageCols) {
        try {
            return Evaluator.of(test.evaluation(saved.params()), imageRows, imageCols);
        } finally {
            test.release();
        }
    }

    private void report(Evaluation e, String source, String count, Map<String, Object> data,
                        EvaluationOutput output, JavaSparkContext sc) throws java.io.IOException {
        System.out.printf("model %s (%s) on %s, %s%n", saved.dir(), saved.describe(), source, count);
        System.out.print(EvaluationReport.table(e));
        output.write(e, context(data, sc));
        System.out.printf("%nevaluation written to %s%n", output.dir());
    }

    /** The rows checked in one job, and their width against the model's. */
    private FrameBlocks.Shape scan(Rows rows, Dataset<Row> df, FrameBlocks.Roles roles, int classes) {
        FrameBlocks.Shape shape = FrameBlocks.scan(df, roles, classes, rows.uri());
        if (shape.width() != saved.layout().inputs() - 1) {
            throw new UsageException(rows.option(), rows.option() + ": " + rows.uri() + ": rows of " + shape.width()
                    + " values, the model " + saved.describe() + " expects " + (saved.layout().inputs() - 1));
        }
        return shape;
    }

    /** Scores the blocks with one broadcast of the weights and writes the rows in block order. */
    private void write(SparkSession spark, JavaRDD<ImageBlock> blocks, String target, Predictions.Format format,
                       String what) {
        Broadcast<Scorer> scorer = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(saved.scorer());
        try {
            long n = Predictions.write(spark, Predictions.rows(blocks, scorer),
                    Predictions.schema(saved.layout().classes(), saved.model().loss().regression()), target, format);
            System.out.printf("predicted %d %s with %s (%s) into %s (%s)%n", n, what, saved.dir(), saved.describe(),
                    target, format.name().toLowerCase(Locale.ROOT));
        } finally {
            scorer.destroy();
        }
    }

    /** What was evaluated: the model, the data (as given), the versions, the time. */
    private Map<String, Object> context(Map<String, Object> data, JavaSparkContext sc) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("dir", saved.dir());
        model.put("architecture", saved.layout().describe());
        model.put("loss", saved.model().loss().id());
        m.put("model", model);
        m.put("data", data);
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("shardprop", BuildInfo.version());
        versions.put("spark", sc.version());
        m.put("versions", versions);
        m.put("created", Instant.now().toString());
        return m;
    }

    /** The Spark part of a scoring command, given the partitions for this cluster. */
    private interface Job {
        void run(SparkSession spark, JavaSparkContext sc, int partitions) throws Exception;
    }

    /**
     * {@link #run} writing into {@code dir} as {@code command}'s claimed, marked output ({@link MarkedOutput}:
     * {@code _RUNNING}, then {@code _SUCCESS}, or {@code _FAILED} with the partial output removed).
     */
    private void marked(String command, String dir, boolean overwrite, String appName, Job job) throws Exception {
        try (MarkedOutput output = MarkedOutput.claim(HadoopFs.beforeSpark(), dir, command, overwrite)) {
            output.run(() -> run(appName, job));
        }
    }

    private void run(String appName, Job job) throws Exception {
        SparkRun.run(appName, spark -> {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            job.run(spark, sc, partitions > 0 ? partitions : sc.defaultParallelism());
        });
    }
}
