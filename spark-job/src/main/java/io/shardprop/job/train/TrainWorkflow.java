package io.shardprop.job.train;

import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.train.EarlyStopping;
import io.shardprop.core.train.EpochListener;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.core.train.GradientSource;
import io.shardprop.core.train.LocalData;
import io.shardprop.core.train.Trainer;
import io.shardprop.job.config.Engine;
import io.shardprop.job.config.TrainConfig;
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
import io.shardprop.job.output.Manifest;
import io.shardprop.job.output.RunOutput;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static io.shardprop.job.config.TrainOptions.CHECKPOINT_EVERY;
import static io.shardprop.job.config.TrainOptions.EARLY_STOPPING_METRIC;
import static io.shardprop.job.config.TrainOptions.EARLY_STOPPING_PATIENCE;
import static io.shardprop.job.config.TrainOptions.ENGINE;
import static io.shardprop.job.config.TrainOptions.EPOCHS;
import static io.shardprop.job.config.TrainOptions.INIT;
import static io.shardprop.job.config.TrainOptions.INIT_WEIGHTS;
import static io.shardprop.job.config.TrainOptions.LOSS;
import static io.shardprop.job.config.TrainOptions.PARTITIONS;
import static io.shardprop.job.config.TrainOptions.PRECISION;
import static io.shardprop.job.config.TrainOptions.SEED;

/**
 * {@code train}'s run, whatever the data ({@link TrainingData}) or the engine: the checks that come before Spark
 * (the output folder, the image shape, the starting weights or checkpoint when the data's shape is known), then
 * the rows checked, the network sized from them, the blocks cached and {@link TrainRun} (trainer and outputs),
 * the run folder marked {@code _FAILED} with the reason if anything fails.
 */
public final class TrainWorkflow {

    private static final Logger LOG = LoggerFactory.getLogger(TrainWorkflow.class);

    private final TrainConfig cfg;
    private final TrainingData data;
    private final HadoopFs fs;

    /**
     * @param fs the file system of the output and the initial weights
     */
    public TrainWorkflow(TrainConfig cfg, TrainingData data, HadoopFs fs) {
        this.cfg = cfg;
        this.data = data;
        this.fs = fs;
    }

    /**
     * Trains and writes the run folder.
     *
     * @param started {@link System#nanoTime()} when the command started
     * @param startUp where the start-up went so far; the run marks its phases up to the first epoch line
     */
    public void run(long started, PhaseTimes startUp) throws Exception {
        TrainingData.Shape known = data.knownShape();
        if (known != null) {
            cfg.augmentation().on(known.width());  // --shift checked against the images before any Spark work
        }
        RunOutput output = RunOutput.check(fs, cfg.output().out(), cfg.output().overwrite(), cfg.output().resume());
        try (io.shardprop.job.io.OutClaim claim = output.claim(cfg.output().overwrite(), cfg.output().resume())) {
            LOG.debug("claimed {}", claim.file());
            runClaimed(output, known, started, startUp);
        }
    }

    /** {@link #run} once the run folder is this command's. */
    private void runClaimed(RunOutput output, TrainingData.Shape known, long started, PhaseTimes startUp)
            throws Exception {
        Start early = known == null ? null : start(model(known).layout());
        if (cfg.get(ENGINE) == Engine.LOCAL) {
            Mlp model = model(known);
            LOG.info("ShardProp {}: single process, {} {} loss, blocks of {}, {}", BuildInfo.version(),
                    model.layout().describe(), cfg.get(LOSS).id(), cfg.effectiveBlockSize(), cfg.get(PRECISION).id());
            BlasLog.driver();
            output.create(cfg.output().resume());
            Stop.install(() -> { });  // the trainer checks for a stop between steps
            recordingFailure(output, () -> train(model, known, output, early, data.inProcess(cfg, model),
                    Map.of("engine", "local"), started, startUp.mark("reading"), null));
            return;
        }
        startUp.mark("options and checks");
        SparkRun.runOnContext("ShardProp train", (context, spark) -> {
            startUp.mark("Spark session");
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(context);
            int partitions = partitions(sc);
            TrainingData.Shape shape = known != null ? known : scanned(spark.get());
            Mlp model = model(shape);
            Start start = early != null ? early : start(model.layout());
            LOG.info("ShardProp {} on Spark {}, master {}: {} {} loss, {} training and {} test rows, {} partitions, "
                            + "blocks of {}, {}", BuildInfo.version(), sc.version(), sc.master(),
                    model.layout().describe(), cfg.get(LOSS).id(), shape.train(), shape.test(), partitions,
                    cfg.effectiveBlockSize(), cfg.get(PRECISION).id());
            output.create(cfg.output().resume());
            Stop.install(sc::cancelAllJobs);
            recordingFailure(output, () -> {
                long loadStart = System.nanoTime();
                TrainingData.Sources sources = data.onSpark(sc, cfg, model, partitions);
                LOG.info("cached {} training and {} test rows in {} s", shape.train(), shape.test(),
                        String.format("%.2f", (System.nanoTime() - loadStart) / 1e9));
                logCaches(sources);
                startUp.mark("reading and caching");
                try {
                    train(model, shape, output, start, sources, engine("spark", sc, partitions, sources), started,
                            startUp, context);
                } finally {
                    sources.release().run();
                }
            });
        });
    }

    /** A model that {@link #fit} trained: its network, weights, manifest and epochs. */
    public record Fitted(Mlp model, double[] params, ModelManifest manifest, List<EpochMetrics> epochs) {
    }

    /**
     * Spark ML's {@code fit}: the rows checked, the network sized from them, the blocks cached and trained with the
     * same trainer as {@link #run}; nothing is written, a line is logged per epoch.
     *
     * @param initial the starting weights of a layout, or null for {@code --init}'s
     * @param engine  how {@code model.json} names the engine
     */
    public Fitted fit(SparkSession spark, Function<Layout, double[]> initial, String engine) throws Exception {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingData.Shape shape = data.scan(spark);
        Mlp model = model(shape);
        Optimizer optimizer = cfg.newOptimizer(model.layout().paramCount());
        Trainer trainer = cfg.trainer(shape.width()).withTargetScaling(model.layout(), shape.targets());
        double[] params = initial != null ? initial.apply(model.layout()) : initialWeights(model.layout());
        int partitions = partitions(sc);
        LOG.info("{}: {} rows, {} {} loss, {} epochs, blocks of {}, {} partitions", engine, shape.train(),
                model.layout().describe(), cfg.get(LOSS).id(), cfg.get(EPOCHS), cfg.effectiveBlockSize(), partitions);
        TrainingData.Sources sources = data.onSpark(sc, cfg, model, partitions);
        logCaches(sources);
        try {
            GradientSource train = sources.train();
            GradientSource validation = sources.validation();
            boolean onDriver = onDriver(shape);
            if (onDriver) {
                // a small set: its blocks are trained on the driver, no Spark job an epoch; the same blocks and exact
                // sums give the same bits as the executors would
                train = collected(model, train);
                validation = validation == null ? null : collected(model, validation);
                LOG.info("{}: {} rows of {} values: trained on the driver", engine, shape.train(), shape.width());
            }
            List<EpochMetrics> epochs = new ArrayList<>();
            int[] syncs = {0};
            Trainer.Result result = trainer.train(params, optimizer, 1, train, null, validation,
                    new EarlyStopping.Best(), new EpochListener() {
                @Override
                public void onEpoch(EpochMetrics m, double[] p) {
                    epochs.add(m);
                    LOG.info("fit epoch {}/{}  {}  {} s  {} {}", m.epoch(), cfg.get(EPOCHS),
                            EpochLine.fitFigures(m, model.loss().regression()),
                            String.format(Locale.ROOT, "%.2f", m.seconds()), syncs[0],
                            syncs[0] == 1 ? "sync" : "syncs");
                }

                @Override
                public void onStep(int epoch, int step, int steps) {
                    syncs[0] = steps;
                }
            });
            RunData described = data.describe(shape);
            EpochMetrics kept = epochs.stream().filter(e -> e.epoch() == result.bestEpoch()).findFirst()
                    .orElse(epochs.get(epochs.size() - 1));
            double[] saved = shape.targets() == null ? params : shape.targets().fold(model.layout(), params);
            Map<String, Object> how = engine(engine, sc, partitions, sources);
            if (onDriver) {
                how.put("steps", "on the driver (at most " + DRIVER_VALUES + " values)");
            }
            ModelManifest manifest = Manifest.of(cfg, model, described.files(), described.inputScaling(), kept,
                    optimizer, how, saved, syncs[0])
                    .trained(result.bestEpoch(), shape.targets());
            return new Fitted(model, saved, manifest, epochs);
        } finally {
            sources.release().run();
        }
    }

    /**
     * A fit's training set of at most this many values ({@code rows × (width + 1)}, 16 MB of float64) is trained on the
     * driver: a Spark job an epoch would cost more than the epoch's work.
     */
    static final long DRIVER_VALUES = 2_000_000;

    /** Whether a fit of {@code shape} trains on the driver ({@link #DRIVER_VALUES}). */
    static boolean onDriver(TrainingData.Shape shape) {
        return (shape.train() + shape.validation()) * (shape.width() + 1L) <= DRIVER_VALUES;
    }

    /** The cached blocks of {@code source} (Spark's), collected to the driver. */
    private static GradientSource collected(Mlp model, GradientSource source) {
        return new LocalData(model, ((SparkData) source).rdd().collect());
    }

    /** The rows' shape, scanned in Spark jobs, with {@code --shift} checked against their width. */
    private TrainingData.Shape scanned(SparkSession spark) {
        TrainingData.Shape shape = data.scan(spark);
        cfg.augmentation().on(shape.width());
        return shape;
    }

    /** {@code --partitions}, or the cluster's default parallelism for 0. */
    private int partitions(JavaSparkContext sc) {
        return cfg.get(PARTITIONS) > 0 ? cfg.get(PARTITIONS) : sc.defaultParallelism();
    }

    /**
     * How {@code model.json} records a Spark run: the engine's name, Spark's version, the master, the partitions,
     * and what each cached set took.
     */
    private static Map<String, Object> engine(String name, JavaSparkContext sc, int partitions,
                                              TrainingData.Sources sources) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", name);
        m.put("spark", sc.version());
        m.put("master", sc.master());
        m.put("partitions", partitions);
        Map<String, Object> caches = new LinkedHashMap<>();
        sources.caches().forEach(c -> caches.put(c.set(), c.toMap()));
        if (!caches.isEmpty()) {
            m.put("cache", caches);
        }
        return m;
    }

    /** A line per cached set, and a warning for a set partly on disk. */
    private static void logCaches(TrainingData.Sources sources) {
        for (CacheReport c : sources.caches()) {
            LOG.info(c.describe());
            if (c.spillWarning() != null) {
                LOG.warn(c.spillWarning());
            }
        }
    }

    private Mlp model(TrainingData.Shape shape) {
        return cfg.model(shape.width(), shape.classes());
    }

    /** Trains and writes the outputs; {@code sc} is a Spark run's context (its rounds reported), null for a local one. */
    private void train(Mlp model, TrainingData.Shape shape, RunOutput output, Start start,
                       TrainingData.Sources sources, Map<String, Object> engine, long started, PhaseTimes startUp,
                       SparkContext sc) throws Exception {
        output.resume(start.metrics());
        TrainRun run = new TrainRun(cfg, model, data.describe(shape), output, engine, started, startUp)
                .scaling(shape.targets());
        if (sc == null) {
            run.run(start.params(), start.epoch(), start.optimizer(), sources.train(), sources.test(),
                    sources.validation(), start.best());
            return;
        }
        try (RoundMetrics rounds = new RoundMetrics(sc)) {
            run.reporting(() -> {
                Map<String, Object> s = rounds.summary();
                LOG.info(RoundMetrics.describe(s));
                return Map.of("rounds", s);
            }).run(start.params(), start.epoch(), start.optimizer(), sources.train(), sources.test(),
                    sources.validation(), start.best());
        }
    }

    /** The part of a run that writes into its folder. */
    private interface Work {
        void run() throws Exception;
    }

    /**
     * Runs {@code body}; if it fails, marks the run folder {@code _FAILED} with the reason, then rethrows (as
     * {@link Interrupted} when a signal asked for the stop).
     */
    private void recordingFailure(RunOutput output, Work body) throws Exception {
        try {
            body.run();
        } catch (Exception | Error e) {
            if (Stop.requested()) {
                Interrupted stop = new Interrupted("interrupted at epoch " + (output.epochs().size() + 1) + " ("
                        + Stop.signalName() + "); " + (cfg.get(CHECKPOINT_EVERY) > 0
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

    /** Where training starts: epoch 1 from fresh weights, or after a checkpoint's epoch with its state. */
    private record Start(int epoch, double[] params, Optimizer optimizer, List<EpochMetrics> metrics,
                         EarlyStopping.Best best) {
        Start(int epoch, double[] params, Optimizer optimizer, List<EpochMetrics> metrics) {
            this(epoch, params, optimizer, metrics, new EarlyStopping.Best());
        }
    }

    /** Fresh weights (drawn or --init-weights), or the newest complete checkpoint with --resume. */
    private Start start(Layout layout) throws IOException {
        Optimizer optimizer = cfg.newOptimizer(layout.paramCount());
        if (!cfg.output().resume()) {
            return new Start(1, initialWeights(layout), optimizer, List.of());
        }
        Checkpoints.Loaded ck = new Checkpoints(fs, cfg.output().out()).latest(layout, optimizer, cfg.recipe());
        if (ck == null) {
            throw new UsageException("--resume", "--resume: no complete checkpoint in "
                    + HadoopFs.child(cfg.output().out(), "checkpoints"));
        }
        boolean finished = fs.exists(HadoopFs.child(cfg.output().out(), RunOutput.SUCCESS));
        if (ck.epoch() == cfg.get(EPOCHS) && !finished) {
            // stopped after its last checkpoint, before its model was complete: write the model from the checkpoint
            LOG.info("resuming from {} (epoch {}, the last): writing the run's outputs", ck.uri(), ck.epoch());
            return new Start(ck.epoch() + 1, ck.params(), optimizer, ck.metrics(), best(ck, layout));
        }
        if (ck.epoch() >= cfg.get(EPOCHS)) {
            throw new UsageException("--epochs", "--resume: the run has already trained " + ck.epoch() + " epochs ("
                    + ck.uri() + "), --epochs is " + cfg.get(EPOCHS) + ": pass a larger --epochs to train on");
        }
        if (ck.localSteps() != null && !ck.localSteps().equals(cfg.sync().describe())) {
            throw new UsageException("--syncs-per-epoch", "--resume: " + ck.uri() + " was trained with local steps "
                    + ck.localSteps() + ", not " + cfg.sync().describe()
                    + ": pass the run's --replicas, --syncs-per-epoch and --outer*");
        }
        LOG.info("resuming from {} (epoch {})", ck.uri(), ck.epoch());
        return new Start(ck.epoch() + 1, ck.params(), optimizer, ck.metrics(), best(ck, layout));
    }

    /**
     * With early stopping, a resumed run's best epoch so far, as its checkpoint's metrics recorded it, with its weights
     * from that epoch's checkpoint; a best epoch without one (--checkpoint-every above 1) restarts the search there.
     */
    private EarlyStopping.Best best(Checkpoints.Loaded ck, Layout layout) {
        EarlyStopping.Best best = new EarlyStopping.Best();
        if (cfg.get(EARLY_STOPPING_PATIENCE) == 0 || ck.metrics().isEmpty()) {
            return best;
        }
        int epoch = (int) ck.metrics().get(ck.metrics().size() - 1).get("best_epoch");
        String column = cfg.get(EARLY_STOPPING_METRIC).column();
        for (EpochMetrics m : ck.metrics()) {
            if (m.epoch() == epoch) {
                double[] p = epoch == ck.epoch() ? ck.params()
                        : new Checkpoints(fs, cfg.output().out()).paramsAt(epoch, layout, cfg.newOptimizer(layout.paramCount()));
                if (p != null) {
                    best.set(epoch, m.get(column), p);
                } else {
                    LOG.warn("early stopping: epoch {} was the best but has no checkpoint; the search starts again "
                            + "from epoch {}", epoch, ck.epoch());
                }
            }
        }
        return best;
    }

    /** {@code --init-weights DIR}'s files (shapes checked against the layout), or weights drawn by {@code --init}. */
    private double[] initialWeights(Layout layout) {
        String dir = cfg.get(INIT_WEIGHTS);
        if (dir == null) {
            return cfg.get(INIT).draw(layout, cfg.get(SEED));
        }
        try {
            return WeightFiles.read(fs, dir, layout);
        } catch (UsageException e) {
            throw new UsageException("--init-weights", "--init-weights: " + e.getMessage());
        }
    }
}
