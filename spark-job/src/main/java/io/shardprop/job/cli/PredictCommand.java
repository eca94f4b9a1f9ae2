package io.shardprop.job.cli;

import io.shardprop.job.data.IdxFile;
import io.shardprop.job.data.IdxInputs;
import io.shardprop.job.data.ImageBlock;
import io.shardprop.job.data.ImageBlocks;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.io.OutFolder;
import io.shardprop.job.model.SavedModel;
import io.shardprop.job.model.Scorer;
import io.shardprop.job.predict.Predictions;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
        if (scoring.columns.isRows()) {
            predictFrames(fs, saved, format);
            return 0;
        }
        IdxFile file = IdxInputs.images(fs, "--images", images, saved.layout().inputs() - 1);
        String target = checkOut(fs);

        scoring.run("ShardProp predict", (spark, sc, p) -> {
            sc.setJobDescription("predict " + file.name() + " with " + saved.describe());
            write(spark, ImageBlocks.load(sc, file, scoring.blockSize(), p, "images to predict"), saved, target,
                    format, "images");
        });
        return 0;
    }

    /** Scores the blocks with one broadcast of the weights and writes the rows in block order. */
    private void write(SparkSession spark, JavaRDD<ImageBlock> blocks, SavedModel saved, String target,
                       Predictions.Format format, String what) {
        Broadcast<Scorer> scorer = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(saved.scorer());
        try {
            long n = Predictions.write(spark, Predictions.rows(blocks, scorer), saved.layout().classes(), target,
                    format, scoring.overwrite);
            System.out.printf("predicted %d %s with %s (%s) into %s (%s)%n", n, what, saved.dir(), saved.describe(),
                    target, format.name().toLowerCase(java.util.Locale.ROOT));
        } finally {
            scorer.destroy();
        }
    }

    /** {@code --format libsvm|parquet|csv}: the rows checked in one job, as blocks in input order, scored. */
    private void predictFrames(HadoopFs fs, SavedModel saved, Predictions.Format format) throws Exception {
        String uri = FrameColumns.existing(fs, "--input", input);
        String target = checkOut(fs);
        scoring.run("ShardProp predict", (spark, sc, p) -> {
            Dataset<Row> rows = scoring.columns.readUnlabeled(spark, uri, saved.layout().inputs() - 1);
            write(spark, scoring.blocks(rows, "--input", uri, saved, 0, p, "rows to predict").blocks()
                    .map(b -> new ImageBlock(b.index(), b.first(), b.data().x64())), saved, target, format, "rows");
        });
    }

    /** {@code --out}: an existing folder is replaced (with --overwrite) only if Spark's writer made it. */
    private String checkOut(HadoopFs fs) {
        return OutFolder.check(fs, out, scoring.overwrite, java.util.List.of("_SUCCESS"), "a folder of Spark's writer");
    }
}
