package io.shardprop.job.cli;

import io.shardprop.job.data.IdxFile;
import io.shardprop.job.data.IdxInputs;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.io.OutFolder;
import io.shardprop.job.model.SavedModel;
import io.shardprop.job.predict.Predictions;
import io.shardprop.job.predict.Scoring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code predict}: a label and the class probabilities for every image of an IDX file, on Spark. */
@Command(name = "predict", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Predict the digit of every image of an IDX images file with a trained model. Writes one row "
                + "per image, in input order: index, prediction, p0..p9 (the probabilities), as CSV (with a "
                + "header) or Parquet by the extension of --out, into the folder Spark's writer creates.",
        footer = {"", "Exit codes: 0 success, 1 runtime failure, 2 bad option, model or input file."})
public final class PredictCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;
    @Option(names = "--images", paramLabel = "PATH", description = "IDX images file (plain or .gz).")
    String images;
    @Option(names = "--input", paramLabel = "PATH", description = "With --format libsvm|parquet|csv: the rows to "
            + "predict.")
    String input;
    @Mixin
    ScoringOptions scoring;
    @Option(names = "--out", paramLabel = "PATH", description = "Output: a path ending in .csv or .parquet.")
    String out;

    @Override
    public Integer call() throws Exception {
        scoring.validate();
        if (images == null && !scoring.columns.isRows()) {
            throw new UsageException("--images PATH is required");
        }
        if (out == null) {
            throw new UsageException("--out PATH is required (ending in .csv or .parquet)");
        }
        Predictions.Format format = Predictions.Format.of(out);
        if (format == null) {
            throw new UsageException("--out: " + out + " must end in .csv or .parquet (the output format)");
        }
        HadoopFs fs = HadoopFs.beforeSpark();
        SavedModel saved = model.load(fs);
        Scoring scoring = this.scoring.of(saved);
        if (this.scoring.columns.isRows()) {
            String uri = FrameColumns.existing(fs, "--input", input);
            var rows = this.scoring.rows("--input", uri, saved, false);
            String target = checkOut(fs);
            scoring.predict(rows, target, format, this.scoring.overwrite);
            return 0;
        }
        IdxFile file = IdxInputs.images(fs, "--images", images, saved.layout().inputs() - 1);
        String target = checkOut(fs);
        scoring.predict(file, target, format, this.scoring.overwrite);
        return 0;
    }

    /** {@code --out}: an existing folder is replaced (with --overwrite) only if predict (or Spark's writer) made it. */
    private String checkOut(HadoopFs fs) {
        return OutFolder.check(fs, out, scoring.overwrite, OutFolder.MARKERS, "a folder of predict's");
    }
}
