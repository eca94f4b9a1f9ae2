package io.shardprop.job.cli;

import io.shardprop.job.config.TrainConfig;
import io.shardprop.job.data.MnistFiles;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.train.FrameData;
import io.shardprop.job.train.IdxData;
import io.shardprop.job.train.PhaseTimes;
import io.shardprop.job.train.TrainWorkflow;
import io.shardprop.job.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.concurrent.Callable;

import static io.shardprop.job.config.TrainOptions.SEED;

/**
 * {@code train}: the seed notebook's training and better recipes, data-parallel over Spark executors. The
 * training options are the {@link io.shardprop.job.config.TrainOptions declared ones} ({@link TrainingFlags});
 * this command adds where the data comes from and where the run goes, then hands both to {@link TrainWorkflow}.
 */
@Command(name = "train", sortOptions = false, mixinStandardHelpOptions = true, modelTransformer = TrainingFlags.class,
        description = "Train an MLP on MNIST, data-parallel on Spark: full-batch gradient descent as the "
                + "notebook, or mini-batch steps with momentum or Adam.",
        footer = {"", "Exit codes: 0 success, 1 runtime failure, 2 bad option, config or input file.",
            "Options may also come from --config FILE, a properties file whose keys are the long option",
            "names without dashes (epochs=50); flags on the command line win."})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with the four MNIST IDX files (plain or .gz).")
    String data;
    @Option(names = "--train-images", paramLabel = "PATH", description = "Training images (overrides --data).")
    String trainImages;
    @Option(names = "--train-labels", paramLabel = "PATH", description = "Training labels (overrides --data).")
    String trainLabels;
    @Mixin
    TestFiles testFiles;
    @Mixin
    FrameInputs frames;
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (required).")
    String out;
    @Option(names = "--overwrite", description = "Replace --out if it exists.")
    boolean overwrite;
    @Option(names = "--resume", description = "Continue the run in --out from its newest complete checkpoint.")
    boolean resume;
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of option defaults.")
    String config;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        PhaseTimes startUp = PhaseTimes.startUp();
        TrainConfig cfg = config();
        HadoopFs fs = HadoopFs.beforeSpark();
        frames.check(fs, cfg.get(io.shardprop.job.config.TrainOptions.EARLY_STOPPING_PATIENCE) > 0);
        new TrainWorkflow(cfg, data(cfg, fs), fs).run(started, startUp);
        return 0;
    }

    /** The IDX files (headers checked now), or the rows of {@code --format}, read once Spark runs. */
    private TrainingData data(TrainConfig cfg, HadoopFs fs) {
        if (frames.isFrames()) {
            boolean early = cfg.get(io.shardprop.job.config.TrainOptions.EARLY_STOPPING_PATIENCE) > 0;
            return new FrameData(spark -> frames.load(spark, fs, cfg.get(SEED), early), frames.columns.roles(),
                    "as given (--format " + frames.columns.format.id() + ")").standardizingTargets(cfg.standardizesTargets());
        }
        return IdxData.open(fs, cfg.inputs());
    }

    /**
     * The values with {@code --task}'s loss: squared in place of the default seed for a regression; a loss of the
     * other task is a usage error.
     */
    private io.shardprop.job.config.OptionValues task(io.shardprop.job.config.OptionValues v) {
        io.shardprop.core.model.Loss loss = v.get(io.shardprop.job.config.TrainOptions.LOSS);
        boolean regression = frames.columns.task == io.shardprop.job.config.Task.REGRESSION;
        if (regression && loss == io.shardprop.core.model.Loss.SEED) {
            return v.with(io.shardprop.job.config.TrainOptions.LOSS, io.shardprop.core.model.Loss.SQUARED);
        }
        if (regression != loss.regression()) {
            throw new UsageException("--loss", "--loss " + loss.id() + " is a " + (loss.regression()
                    ? "regression loss: add --task regression" : "classification loss; --task regression takes "
                    + "squared or huber"));
        }
        return v;
    }

    TrainConfig config() {
        String[] paths = frames.isFrames() ? new String[]{frames.train, null, frames.test, null}
                : new String[]{trainImages, trainLabels, testFiles.images, testFiles.labels};
        String[] names = {MnistFiles.TRAIN_IMAGES, MnistFiles.TRAIN_LABELS, MnistFiles.TEST_IMAGES,
            MnistFiles.TEST_LABELS};
        for (int i = 0; i < 4 && !frames.isFrames(); i++) {
            if (paths[i] == null) {
                if (data == null) {
                    throw new UsageException("--data DIR is required (or all four of --train-images, "
                            + "--train-labels, --test-images, --test-labels)");
                }
                try {
                    paths[i] = MnistFiles.inDir(HadoopFs.beforeSpark(), data, names[i]);
                } catch (IOException e) {
                    throw new UsageException("--data: " + data + ": " + e.getMessage());
                }
            }
        }
        HadoopFs fs = HadoopFs.beforeSpark();
        for (int i = 0; i < 4; i++) {
            try {
                paths[i] = paths[i] == null ? null : fs.qualify(paths[i]);
            } catch (java.io.UncheckedIOException e) {
                throw new UsageException(e.getMessage());
            }
        }
        if (out == null) {
            throw new UsageException("--out is required");
        }
        return new TrainConfig(task(TrainingFlags.values(spec)),
                new TrainConfig.Inputs(paths[0], paths[1], paths[2], paths[3]),
                new TrainConfig.Output(out, overwrite, resume));
    }
}
