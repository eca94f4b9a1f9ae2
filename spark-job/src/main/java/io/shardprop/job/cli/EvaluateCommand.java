package io.shardprop.job.cli;

import io.shardprop.job.data.IdxFile;
import io.shardprop.job.data.IdxInputs;
import io.shardprop.job.data.MnistFiles;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.eval.EvaluationOutput;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.model.SavedModel;
import io.shardprop.job.predict.Scoring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
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
        Scoring scoring = this.scoring.of(saved);
        if (this.scoring.columns.isRows()) {
            String uri = FrameColumns.existing(fs, "--test", test);
            var rows = this.scoring.rows("--test", uri, saved, true);
            EvaluationOutput output = output(fs, saved);
            scoring.evaluate(rows, output, this.scoring.overwrite);
            return 0;
        }
        int pixels = saved.layout().inputs() - 1;
        IdxFile images = IdxInputs.images(fs, "--test-images", path(fs, testFiles.images, MnistFiles.TEST_IMAGES),
                pixels);
        IdxFile labels = IdxInputs.labels(fs, "--test-labels", path(fs, testFiles.labels, MnistFiles.TEST_LABELS),
                images);
        EvaluationOutput output = output(fs, saved);
        scoring.evaluate(images, labels, output, this.scoring.overwrite);
        return 0;
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
}
