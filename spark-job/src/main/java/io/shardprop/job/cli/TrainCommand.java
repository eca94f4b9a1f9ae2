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
        frames.check(fs);
        new TrainWorkflow(cfg, data(cfg, fs), fs).run(started, startUp);
        return 0;
    }

    /** The IDX files (headers checked now), or the rows of {@code --format}, read once Spark runs. */
    private TrainingData data(TrainConfig cfg, HadoopFs fs) {
        if (frames.isFrames()) {
            return new FrameData(spark -> frames.load(spark, fs, cfg.get(SEED)), FrameData.Columns.TRAIN,
                    "as given (--format " + frames.columns.format.id() + ")");
        }
        return IdxData.open(fs, cfg.inputs());
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
        return new TrainConfig(TrainingFlags.values(spec),
                new TrainConfig.Inputs(paths[0], paths[1], paths[2], paths[3]),
                new TrainConfig.Output(out, overwrite, resume));
    }
}
