package io.shardprop.job.cli;

import io.shardprop.core.data.Batch;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.optim.OptimizerKind;
import io.shardprop.core.optim.OuterOptimizer;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.core.train.GradientSource;
import io.shardprop.core.train.LocalData;
import io.shardprop.job.config.Augmentation;
import io.shardprop.job.config.Engine;
import io.shardprop.job.config.LocalStepOptions;
import io.shardprop.job.config.TrainConfig;
import io.shardprop.job.data.FrameBlocks;
import io.shardprop.job.data.FrameSource;
import io.shardprop.job.data.LocalFiles;
import io.shardprop.job.data.MnistFiles;
import io.shardprop.job.error.Failure;
import io.shardprop.job.error.Interrupted;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.BlasLog;
import io.shardprop.job.io.BuildInfo;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.io.SparkRun;
import io.shardprop.job.model.ModelManifest;
import io.shardprop.job.model.WeightFiles;
import io.shardprop.job.output.Checkpoints;
import io.shardprop.job.output.RunOutput;
import io.shardprop.job.report.Plots;
import io.shardprop.job.train.RunData;
import io.shardprop.job.train.SparkData;
import io.shardprop.job.train.Stop;
import io.shardprop.job.train.TrainRun;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code train}: the seed notebook's training and better recipes, data-parallel over Spark executors. */
@Command(name = "train", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Train an MLP on MNIST, data-parallel on Spark: full-batch gradient descent as the "
                + "notebook, or mini-batch steps with momentum or Adam.",
        footer = {"", "Exit codes: 0 success, 1 runtime failure, 2 bad option, config or input file.",
            "Options may also come from --config FILE, a properties file whose keys are the long option",
            "names without dashes (epochs=50); flags on the command line win."})
public final class TrainCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with the four MNIST IDX files (plain or .gz).")
    String data;
    @Option(names = "--train-images", paramLabel = "PATH", description = "Training images (overrides --data).")
    String trainImages;
    @Option(names = "--train-labels", paramLabel = "PATH", description = "Training labels (overrides --data).")
    String trainLabels;
    @Option(names = "--test-images", paramLabel = "PATH", description = "Test images (overrides --data).")
    String testImages;
    @Option(names = "--test-labels", paramLabel = "PATH", description = "Test labels (overrides --data).")
    String testLabels;
    @Mixin
    FrameInputs frames;
    @Option(names = "--epochs", paramLabel = "N", defaultValue = "50", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--lr", paramLabel = "X", defaultValue = "1e-5",
            description = "Learning rate; applies to the summed gradient with --loss seed, the mean with xent "
                    + "(default: ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--loss", converter = Choice.OfLoss.class, paramLabel = "MODE", defaultValue = "seed",
            description = "seed (the notebook's Softmax then Log(x + 1e-12), gradient summed) or xent (fused, "
                    + "stable log-softmax cross-entropy, gradient averaged) (default: ${DEFAULT-VALUE}).")
    Loss loss;
    @Option(names = "--hidden", paramLabel = "N[,N...]", split = ",", defaultValue = "100",
            description = "Hidden layer widths, e.g. 300,100 (default: ${DEFAULT-VALUE}).")
    int[] hidden;
    @Option(names = "--bias", paramLabel = "BOOL", defaultValue = "false", arity = "0..1",
            description = "Bias vectors in the layers after the first (the first always has the ones column) "
                    + "(default: ${DEFAULT-VALUE}).")
    boolean bias;
    @Option(names = "--init", converter = Choice.OfInit.class, paramLabel = "MODE", defaultValue = "normal",
            description = "normal (the notebook's N(0,1), drawn as numpy's RandomState(seed)), he or xavier "
                    + "(scaled, biases zero) (default: ${DEFAULT-VALUE}).")
    Init init;
    @Option(names = "--init-weights", paramLabel = "DIR",
            description = "Start from DIR/W1.npy, DIR/W2.npy, ... instead of --init.")
    String initWeights;
    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seeds the initialisation and the mini-batch order, 0..2^32-1 (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "0",
            description = "Samples per step; 0 = full batch, one step per epoch (default: ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--optimizer", converter = Choice.OfOptimizer.class, paramLabel = "NAME", defaultValue = "sgd",
            description = "sgd, momentum or adam (default: ${DEFAULT-VALUE}).")
    OptimizerKind optimizer;
    @Option(names = "--momentum", paramLabel = "MU", defaultValue = "0.9",
            description = "Momentum coefficient (default: ${DEFAULT-VALUE}).")
    double momentum;
    @Option(names = "--beta1", paramLabel = "B1", defaultValue = "0.9", description = "Adam β1 (default: ${DEFAULT-VALUE}).")
    double beta1;
    @Option(names = "--beta2", paramLabel = "B2", defaultValue = "0.999", description = "Adam β2 (default: ${DEFAULT-VALUE}).")
    double beta2;
    @Option(names = "--weight-decay", paramLabel = "L", defaultValue = "0",
            description = "L2 penalty (sgd, momentum) or decoupled decay (adam) (default: ${DEFAULT-VALUE}).")
    double weightDecay;
    @Option(names = "--lr-schedule", converter = Choice.OfSchedule.class, paramLabel = "KIND", defaultValue = "constant",
            description = "constant, step (x gamma every --lr-step-size epochs) or cosine (default: ${DEFAULT-VALUE}).")
    LrSchedule.Kind lrSchedule;
    @Option(names = "--lr-step-size", paramLabel = "E", defaultValue = "10",
            description = "Epochs between step decays (default: ${DEFAULT-VALUE}).")
    int lrStepSize;
    @Option(names = "--lr-gamma", paramLabel = "G", defaultValue = "0.1",
            description = "Step decay factor (default: ${DEFAULT-VALUE}).")
    double lrGamma;
    @Option(names = "--replicas", paramLabel = "R", defaultValue = "2",
            description = "With --syncs-per-epoch: replicas that each step on their own fixed shard of the blocks "
                    + "(block b belongs to replica b mod R); the result depends on R, never on partitions or "
                    + "executors (default: ${DEFAULT-VALUE}).")
    int replicas;
    @Option(names = "--syncs-per-epoch", paramLabel = "K", defaultValue = "0",
            description = "Rounds of local steps an epoch: each replica runs its share of the epoch's mini-batch "
                    + "steps from the same weights, then the driver averages their changes (one Spark job a "
                    + "round); 0 = a sync every step (default: ${DEFAULT-VALUE}).")
    int syncsPerEpoch;
    @Option(names = "--outer", converter = Choice.OfOuter.class, paramLabel = "KIND", defaultValue = "average",
            description = "The driver's update from the replicas' mean change: average (w := their mean, at "
                    + "--outer-lr 1) or nesterov (DiLoCo's outer Nesterov momentum) (default: ${DEFAULT-VALUE}).")
    OuterOptimizer.Kind outer;
    @Option(names = "--outer-lr", paramLabel = "X", defaultValue = "1.0",
            description = "Outer learning rate (default: ${DEFAULT-VALUE}).")
    double outerLr;
    @Option(names = "--outer-momentum", paramLabel = "MU", defaultValue = "0.9",
            description = "Outer Nesterov momentum (default: ${DEFAULT-VALUE}).")
    double outerMomentum;
    @Option(names = "--shift", paramLabel = "PIXELS", defaultValue = "0",
            description = "Move every training image of every step (or local step) by up to PIXELS "
                    + "along each axis, at random (seeded by --seed, the epoch and the block), uncovered pixels 0; "
                    + "0 = none (default: ${DEFAULT-VALUE}).")
    int shift;
    @Option(names = "--image-height", paramLabel = "ROWS", defaultValue = "0",
            description = "With --shift: the images' rows, the row's features being height x width values; 0 (the "
                    + "default): square images.")
    int imageHeight;
    @Option(names = "--partitions", paramLabel = "P", defaultValue = "0",
            description = "Partitions of the cached blocks; 0 (the default): the cluster's default parallelism.")
    int partitions;
    @Option(names = "--block-size", paramLabel = "ROWS", defaultValue = "0",
            description = "Samples per block; 0 (the default): 2000 for full batch, else batch/4 or a divisor near "
                    + "it (a replica's batch with local steps).")
    int blockSize;
    @Option(names = "--engine", converter = Choice.OfEngine.class, paramLabel = "NAME", defaultValue = "spark",
            description = "spark (data-parallel, the default) or local (the single-process core trainer on the "
                    + "driver, for comparison; no SparkSession).")
    Engine engine;
    @Option(names = "--precision", converter = Choice.OfPrecision.class, paramLabel = "P", defaultValue = "float64",
            description = "float64 (default) or float32: cache the training inputs as float32 and run the first "
                    + "layer's two products in float32 (sgemm); half the memory, about twice as fast. Parameters, "
                    + "gradients and sums stay float64.")
    Precision precision;
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (required).")
    String out;
    @Option(names = "--overwrite", description = "Replace --out if it exists.")
    boolean overwrite;
    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "0",
            description = "Write OUT/checkpoints/epoch-NNNN every K epochs; 0 = never (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;
    @Option(names = "--resume", description = "Continue the run in --out from its newest complete checkpoint.")
    boolean resume;
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of option defaults.")
    String config;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        TrainConfig cfg = config();
        HadoopFs fs = HadoopFs.beforeSpark();
        frames.check(fs);
        if (frames.isFrames()) {
            trainFrames(cfg, fs, started);
            return 0;
        }
        String[] options = {"--train-images", "--train-labels", "--test-images", "--test-labels"};
        MnistFiles files = MnistFiles.open(fs, options,
                new String[]{cfg.inputs().trainImages(), cfg.inputs().trainLabels(), cfg.inputs().testImages(),
                    cfg.inputs().testLabels()});
        Mlp model = cfg.model(files.pixels());
        cfg.augmentation().on(files.pixels());  // --shift checked against the images before any Spark work
        Layout layout = model.layout();
        RunOutput output = RunOutput.check(fs, cfg.output().out(), cfg.output().overwrite(), cfg.output().resume());
        Start start = start(fs, cfg, layout);

            if (cfg.execution().engine() == Engine.LOCAL) {
            LOG.info("ShardProp {}: single process, {} {} loss, blocks of {}, {}", BuildInfo.version(),
                    model.layout().describe(), cfg.network().loss().id(), cfg.effectiveBlockSize(),
                    cfg.execution().precision().id());
            BlasLog.driver();
            output.create(cfg.output().resume());
            Stop.install(() -> { });  // the trainer checks for a stop between steps
            recordingFailure(cfg, output, () -> {
                GradientSource train = new LocalData(model, LocalFiles.read(fs, files.trainImages(),
                        files.trainLabels()).in(cfg.execution().precision()), cfg.effectiveBlockSize());
                Batch testSet = LocalFiles.read(fs, files.testImages(), files.testLabels());
                GradientSource test = new LocalData(model, testSet, cfg.effectiveBlockSize())
                        .keepMistakes(Plots.MAX_MISTAKES);
                run(cfg, model, files, output, Map.of("engine", "local"), started, start, train, test);
            });
            return 0;
        }
        SparkRun.run("ShardProp train", spark -> {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int partitions = cfg.execution().partitions() > 0 ? cfg.execution().partitions() : sc.defaultParallelism();
            LOG.info("ShardProp {} on Spark {}, master {}: {} {} loss, {} partitions, blocks of {}, {}",
                    BuildInfo.version(), sc.version(), sc.master(), model.layout().describe(), cfg.network().loss().id(),
                    partitions, cfg.effectiveBlockSize(), cfg.execution().precision().id());
            output.create(cfg.output().resume());
            Stop.install(sc::cancelAllJobs);
            recordingFailure(cfg, output, () -> train(sc, cfg, model, files, output, partitions, started, start));
        });
        return 0;
    }

    /** The part of a run that writes into its folder. */
    private interface Work {
        void run() throws Exception;
    }

    /**
     * Runs {@code body}; if it fails, marks the run folder {@code _FAILED} with the reason, then rethrows (as
     * {@link Interrupted} when a signal asked for the stop).
     */
    private static void recordingFailure(TrainConfig cfg, RunOutput output, Work body) throws Exception {
        try {
            body.run();
        } catch (Exception | Error e) {
            if (Stop.requested()) {
                Interrupted stop = new Interrupted("interrupted at epoch " + (output.epochs().size() + 1) + " ("
                        + Stop.signalName() + "); " + (cfg.output().checkpointEvery() > 0
                        ? "resume with --resume" : "no checkpoints were written (--checkpoint-every 0)"),
                        Stop.exitCode());
                stop.initCause(e);
                output.fail(stop.getMessage(), stop);
                throw stop;
            }
            output.fail(Failure.of(e).message(), e);
            throw e;
        }
    }

    private void train(JavaSparkContext sc, TrainConfig cfg, Mlp model, MnistFiles files, RunOutput output,
                       int partitions, long started, Start start) throws Exception {
        long loadStart = System.nanoTime();
        SparkData train = !cfg.sync().enabled()
                ? SparkData.load(sc, files.trainImages(), files.trainLabels(), cfg.effectiveBlockSize(),
                partitions, model, cfg.execution().precision(), "training")
                : SparkData.loadReplicas(sc, files.trainImages(), files.trainLabels(), cfg.effectiveBlockSize(),
                partitions, cfg.sync().replicas(), model, cfg.execution().precision(), "training");
        SparkData test = SparkData.load(sc, files.testImages(), files.testLabels(), cfg.effectiveBlockSize(),
                partitions, model, Precision.FLOAT64, "test").keepMistakes(Plots.MAX_MISTAKES);
        LOG.info("cached {} training and {} test samples in {} s", files.trainImages().header().count(),
                files.testImages().header().count(), String.format("%.2f", (System.nanoTime() - loadStart) / 1e9));
        try {
            run(cfg, model, files, output, Map.of("engine", "spark", "spark", sc.version(), "master", sc.master(),
                    "partitions", partitions), started, start, train, test);
        } finally {
            train.release();
            test.release();
        }
    }

    /**
     * {@code --format libsvm|parquet|csv}: the rows are read by Spark's readers and checked in one job (bad
     * input exits 2 before the run folder is made), the network's width and class count come from them, and
     * the run is {@code train}'s otherwise: blocks cached on the executors, the same trainer and outputs (no
     * {@code mistakes.png}: the rows are not images).
     */
    private void trainFrames(TrainConfig cfg, HadoopFs fs, long started) throws Exception {
        if (cfg.execution().engine() == Engine.LOCAL) {
            throw new UsageException("--engine local reads --format idx only");
        }
        RunOutput output = RunOutput.check(fs, cfg.output().out(), cfg.output().overwrite(), cfg.output().resume());
        SparkRun.run("ShardProp train", spark -> {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int partitions = cfg.execution().partitions() > 0 ? cfg.execution().partitions() : sc.defaultParallelism();
            FrameInputs.Frames f = frames.load(spark, fs, cfg.network().seed());
            sc.setJobDescription("check the training rows");
            FrameBlocks.Shape shape = FrameBlocks.scan(f.train(), FrameSource.FEATURES, FrameSource.LABEL, 0,
                    f.trainSource());
            int classes = Math.max(2, shape.maxLabel() + 1);
            sc.setJobDescription("check the test rows");
            FrameBlocks.Shape testShape = FrameBlocks.scan(f.test(), FrameSource.FEATURES, FrameSource.LABEL, classes,
                    f.testSource());
            if (testShape.width() != shape.width()) {
                throw new UsageException("--test: " + f.testSource() + ": rows of " + testShape.width()
                        + " values, the training rows have " + shape.width());
            }
            cfg.augmentation().on(shape.width());
            Mlp model = new Mlp(new Layout(shape.width() + 1, cfg.network().hidden(), classes, cfg.network().bias()),
                    cfg.network().loss());
            Start start = start(fs, cfg, model.layout());
            LOG.info("ShardProp {} on Spark {}, master {}: {} {} loss, {} training and {} test rows, {} partitions, "
                            + "blocks of {}, {}", BuildInfo.version(), sc.version(), sc.master(), model.layout().describe(),
                    cfg.network().loss().id(), shape.rows(), testShape.rows(), partitions, cfg.effectiveBlockSize(),
                    cfg.execution().precision().id());
            output.create(cfg.output().resume());
            Stop.install(sc::cancelAllJobs);
            recordingFailure(cfg, output, () -> {
                SparkData train = frameData(sc, f.train(), shape, cfg, partitions, cfg.sync().enabled()
                        ? cfg.sync().replicas() : 0, cfg.execution().precision(), model, "training");
                SparkData test = frameData(sc, f.test(), testShape, cfg, partitions, 0, Precision.FLOAT64, model, "test");
                Map<String, ModelManifest.DataFile> files = new java.util.LinkedHashMap<>();
                files.put("train", new ModelManifest.DataFile(f.trainSource(), null, (int) shape.rows()));
                files.put("test", new ModelManifest.DataFile(f.testSource(), null, (int) testShape.rows()));
                try {
                    output.resume(start.metrics());
                    new TrainRun(cfg, model, new RunData(files, "as given (--format " + frames.format.id() + ")",
                            shape.rows(), 0, 0), output, Map.of("engine", "spark", "spark", sc.version(),
                            "master", sc.master(), "partitions", partitions), started)
                            .run(start.params(), start.epoch(), start.optimizer(), train, test);
                } finally {
                    train.release();
                    test.release();
                }
            });
        });
    }

    private static SparkData frameData(JavaSparkContext sc, org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df,
                                       FrameBlocks.Shape shape, TrainConfig cfg, int partitions, int replicas,
                                       Precision precision, Mlp model, String name) {
        sc.setJobDescription("load " + name + " blocks");
        var blocks = FrameBlocks.load(df, FrameSource.FEATURES, FrameSource.LABEL, shape, cfg.effectiveBlockSize(),
                partitions, replicas, precision, name);
        return new SparkData(sc, blocks, (int) blocks.count(), model);
    }

    /** Where training starts: epoch 1 from fresh weights, or after a checkpoint's epoch with its state. */
    private record Start(int epoch, double[] params, Optimizer optimizer, List<EpochMetrics> metrics) {
    }

    /** Fresh weights (drawn or --init-weights), or the newest complete checkpoint with --resume; before Spark. */
    private static Start start(HadoopFs fs, TrainConfig cfg, Layout layout) throws IOException {
        Optimizer optimizer = cfg.newOptimizer(layout.paramCount());
        if (!cfg.output().resume()) {
            double[] params = cfg.network().initWeights() != null ? loadWeights(fs, cfg.network().initWeights(), layout)
                    : cfg.network().init().draw(layout, cfg.network().seed());
            return new Start(1, params, optimizer, List.of());
        }
        Checkpoints.Loaded ck = new Checkpoints(fs, cfg.output().out()).latest(layout, optimizer, cfg.recipe());
        if (ck == null) {
            throw new UsageException("--resume: no complete checkpoint in "
                    + HadoopFs.child(cfg.output().out(), "checkpoints"));
        }
        if (ck.epoch() >= cfg.optimization().epochs()) {
            throw new UsageException("--resume: the run has already trained " + ck.epoch() + " epochs (" + ck.uri()
                    + "), --epochs is " + cfg.optimization().epochs() + ": pass a larger --epochs to train on");
        }
        if (!ck.localSteps().equals(cfg.sync().describe())) {
            throw new UsageException("--resume: " + ck.uri() + " was trained with local steps " + ck.localSteps()
                    + ", not " + cfg.sync().describe() + ": pass the run's --replicas, --syncs-per-epoch and --outer*");
        }
        LOG.info("resuming from {} (epoch {})", ck.uri(), ck.epoch());
        return new Start(ck.epoch() + 1, ck.params(), optimizer, ck.metrics());
    }

    private void run(TrainConfig cfg, Mlp model, MnistFiles files, RunOutput output, Map<String, Object> engine,
                     long started, Start start, GradientSource train, GradientSource test) throws Exception {
        output.resume(start.metrics());
        new TrainRun(cfg, model, RunData.of(files), output, engine, started)
                .run(start.params(), start.epoch(), start.optimizer(), train, test);
    }

    TrainConfig config() {
        String[] paths = frames.isFrames() ? new String[]{frames.train, null, frames.test, null}
                : new String[]{trainImages, trainLabels, testImages, testLabels};
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
        return new TrainConfig(
                new TrainConfig.Inputs(paths[0], paths[1], paths[2], paths[3]),
                new TrainConfig.Network(hidden, bias, loss, init, initWeights, seed),
                new TrainConfig.Optimization(epochs, batchSize, optimizer, lr, momentum, beta1, beta2, weightDecay,
                        lrSchedule, lrStepSize, lrGamma),
                new TrainConfig.Execution(engine, precision, partitions, blockSize),
                new TrainConfig.Output(out, overwrite, checkpointEvery, resume),
                new LocalStepOptions(replicas, syncsPerEpoch, outer, outerLr, outerMomentum),
                new Augmentation(shift, imageHeight));
    }

    /** {@code dir/W1.npy}, {@code dir/W2.npy}, ... (the layout's files), shapes checked against it. */
    static double[] loadWeights(HadoopFs fs, String dir, Layout layout) {
        try {
            return WeightFiles.read(fs, dir, layout);
        } catch (UsageException e) {
            throw new UsageException("--init-weights: " + e.getMessage());
        }
    }

}
