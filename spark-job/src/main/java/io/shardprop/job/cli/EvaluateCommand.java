package io.shardprop.job.cli;

import io.shardprop.core.linalg.Precision;
import io.shardprop.job.data.IdxFile;
import io.shardprop.job.data.IdxInputs;
import io.shardprop.job.data.MnistFiles;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.eval.Evaluation;
import io.shardprop.job.eval.EvaluationOutput;
import io.shardprop.job.eval.EvaluationReport;
import io.shardprop.job.eval.Evaluator;
import io.shardprop.job.io.BuildInfo;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.model.SavedModel;
import io.shardprop.job.report.Plots;
import io.shardprop.job.train.SparkData;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code evaluate}: loss, accuracy, per-class metrics and the confusion matrix of a trained model, on Spark. */
@Command(name = "evaluate", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Evaluate a trained model on labelled MNIST data, distributed like training: loss, accuracy, "
                + "per-class precision/recall/F1 and the confusion matrix, printed and written to --out "
                + "(evaluation.json, confusion.csv, confusion.png, mistakes.png).",
        footer = {"", "Exit codes: 0 success, 1 runtime failure, 2 bad option, model or input file."})
public final class EvaluateCommand implements Callable<Integer> {

    /** The folder {@code evaluate} writes into, inside the run folder, when {@code --out} is not given. */
    public static final String DEFAULT_OUT = "evaluation";

    @Mixin
    ModelOption model;
    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (plain or .gz).")
    String data;
    @Mixin
    TestFiles testFiles;
    @Option(names = "--test", paramLabel = "PATH", description = "With --format libsvm|parquet|csv: the rows to "
            + "evaluate on.")
    String test;
    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder (default: <run folder>/" + DEFAULT_OUT + ", next to model/).")
    String out;
    @Mixin
    ScoringOptions scoring;

    @Override
    public Integer call() throws Exception {
        scoring.validate();
        HadoopFs fs = HadoopFs.beforeSpark();
        SavedModel saved = model.load(fs);
        if (scoring.columns.isRows()) {
            evaluateFrames(fs, saved);
            return 0;
        }
        int pixels = saved.layout().inputs() - 1;
        IdxFile images = IdxInputs.images(fs, "--test-images", path(fs, testFiles.images, MnistFiles.TEST_IMAGES), pixels);
        IdxFile labels = IdxInputs.labels(fs, "--test-labels", path(fs, testFiles.labels, MnistFiles.TEST_LABELS), images);
        EvaluationOutput output = output(fs, saved);

        scoring.run("ShardProp evaluate", (spark, sc, p) -> {
            // training's own test pass: the same cached blocks, sums and merge, so the same bits
            SparkData test = SparkData.load(sc, images, labels, scoring.blockSize(), p, saved.model(),
                    Precision.FLOAT64, "evaluation").keepMistakes(Plots.MAX_MISTAKES);
            Evaluation e;
            try {
                test.describe("evaluate " + saved.describe() + " on " + images.name());
                e = Evaluator.of(test.evaluation(saved.params()), images.header().rows(), images.header().cols());
            } finally {
                test.release();
            }
            System.out.printf("model %s (%s) on %s, %d images%n", saved.dir(), saved.describe(), images.name(),
                    images.header().count());
            System.out.print(EvaluationReport.table(e));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("images", images.uri());
            data.put("labels", labels.uri());
            data.put("count", images.header().count());
            output.write(e, context(saved, data, sc));
            System.out.printf("%nevaluation written to %s%n", output.dir());
        });
        return 0;
    }

    /**
     * {@code --format libsvm|parquet|csv}: the rows checked in one job (bad input exits 2), as cached blocks, and
     * training's own test pass over them.
     */
    private void evaluateFrames(HadoopFs fs, SavedModel saved) throws Exception {
        String uri = FrameColumns.existing(fs, "--test", test);
        EvaluationOutput output = output(fs, saved);
        scoring.run("ShardProp evaluate", (spark, sc, p) -> {
            Dataset<Row> rows = scoring.columns.read(spark, uri, saved.layout().inputs() - 1);
            ScoringOptions.FrameRows frame = scoring.blocks(rows, "--test", uri, saved, saved.layout().classes(), p,
                    "evaluation");
            SparkData data = new SparkData(sc, frame.blocks(), (int) frame.blocks().count(), saved.model());
            Evaluation e;
            try {
                data.describe("evaluate " + saved.describe() + " on " + uri);
                e = Evaluator.of(data.evaluation(saved.params()), 0, 0);
            } finally {
                data.release();
            }
            System.out.printf("model %s (%s) on %s, %d rows%n", saved.dir(), saved.describe(), uri,
                    frame.shape().rows());
            System.out.print(EvaluationReport.table(e));
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("rows", uri);
            source.put("format", scoring.columns.format.id());
            source.put("count", frame.shape().rows());
            output.write(e, context(saved, source, sc));
            System.out.printf("%nevaluation written to %s%n", output.dir());
        });
    }

    /** {@code --out}, or the evaluation folder in the model's run folder, checked before Spark starts. */
    private EvaluationOutput output(HadoopFs fs, SavedModel saved) {
        return EvaluationOutput.check(fs, out != null ? out : HadoopFs.child(saved.runDir(), DEFAULT_OUT),
                scoring.overwrite);
    }

    /** The option's path, or the file of that name in {@code --data}. */
    private String path(HadoopFs fs, String option, String name) {
        if (option != null) {
            return option;
        }
        if (data == null) {
            throw new UsageException("--data DIR is required (or both --test-images and --test-labels)");
        }
        try {
            return MnistFiles.inDir(fs, data, name);
        } catch (IOException e) {
            throw new UsageException("--data: " + data + ": " + e.getMessage());
        }
    }

    /** What was evaluated: the model, the data (as given), the versions, the time. */
    private static Map<String, Object> context(SavedModel saved, Map<String, Object> data, JavaSparkContext sc) {
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
}
