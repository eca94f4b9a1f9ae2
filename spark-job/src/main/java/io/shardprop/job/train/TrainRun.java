package io.shardprop.job.train;

import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.TargetScaling;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.train.EvaluationSums;
import io.shardprop.core.train.EarlyStopping;
import io.shardprop.core.train.EpochListener;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.core.train.GradientSource;
import io.shardprop.core.train.Trainer;
import io.shardprop.job.config.TrainConfig;
import io.shardprop.job.config.TrainOptions;
import io.shardprop.job.eval.Evaluator;
import io.shardprop.job.output.Checkpoints;
import io.shardprop.job.output.Manifest;
import io.shardprop.job.output.RunOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * One training run, whatever the engine: the {@link Trainer} loop over the given gradient sources, a
 * progress line per epoch (and every few seconds within long epochs), {@code metrics.csv} after every
 * epoch, and the model, its manifest and {@code curves.png} at the end.
 */
public final class TrainRun {

    private static final Logger LOG = LoggerFactory.getLogger(TrainRun.class);
    private static final long STEP_LINE_NANOS = 5_000_000_000L;

    private final TrainConfig cfg;
    private final Mlp model;
    private final RunData data;
    private final RunOutput output;
    private final Map<String, Object> engine;
    private java.util.function.Supplier<Map<String, Object>> report = Map::of;
    private final long started;
    private final PhaseTimes startUp;
    private TargetScaling scaling;

    /**
     * @param engine  how the run was computed, for model.json
     * @param started {@link System#nanoTime()} when the command started
     * @param startUp where the start-up went before training; its last phase, the first epoch, is marked here
     */
    public TrainRun(TrainConfig cfg, Mlp model, RunData data, RunOutput output, Map<String, Object> engine,
                    long started, PhaseTimes startUp) {
        this.cfg = cfg;
        this.model = model;
        this.data = data;
        this.output = output;
        this.engine = engine;
        this.started = started;
        this.startUp = startUp;
    }

    /**
     * Trains a regression on targets scaled by {@code s} (null: as they are): test and validation figures are taken
     * with the weights folded back, and the model written is the folded one; returns this.
     */
    public TrainRun scaling(TargetScaling s) {
        this.scaling = s;
        return this;
    }

    /** Adds {@code more} (asked for after training) to what {@code model.json} records of the engine; returns this. */
    public TrainRun reporting(java.util.function.Supplier<Map<String, Object>> more) {
        this.report = more;
        return this;
    }

    /**
     * Trains {@code params} in place from {@code firstEpoch} and writes the outputs.
     *
     * @param optimizer      fresh, or restored from a checkpoint
     * @param test           evaluated after every epoch; the last pass also gives the run's confusion matrix and
     *                       worst mistakes (as many as it keeps), so there is no second pass
     */
    public void run(double[] params, int firstEpoch, Optimizer optimizer, GradientSource train, GradientSource test)
            throws Exception {
        run(params, firstEpoch, optimizer, train, test, null, new EarlyStopping.Best());
    }

    /**
     * As {@link #run(double[], int, Optimizer, GradientSource, GradientSource)} with a validation set (null: none),
     * and with early stopping from {@code best} (fresh, or a resumed run's best epoch so far).
     */
    public void run(double[] params, int firstEpoch, Optimizer optimizer, GradientSource train, GradientSource test,
                    GradientSource validation, EarlyStopping.Best best) throws Exception {
        Trainer trainer = cfg.trainer(model.layout().inputs() - 1).withTargetScaling(model.layout(), scaling);
        int epochs = cfg.get(TrainOptions.EPOCHS);
        String unit = cfg.sync().enabled() ? "round" : "step";
        Checkpoints checkpoints = new Checkpoints(output.fs(), output.dir());
        long samples = data.trainRows();
        int[] syncs = {0};  // the training jobs (syncs) of an epoch, as they run: the epoch line and model.json
        Trainer.Result result = trainer.train(params, optimizer, firstEpoch, train, test, validation, best,
                new EpochListener() {
            private long lastLine = System.nanoTime();

            @Override
            public void onStep(int epoch, int step, int steps) {
                stopIfAsked();
                long now = System.nanoTime();
                syncs[0] = steps;
                if (now - lastLine >= STEP_LINE_NANOS && step < steps) {
                    System.out.printf("epoch %d/%d  %s %d/%d%n", epoch, epochs, unit, step, steps);
                    lastLine = now;
                }
            }

            @Override
            public void onEpoch(EpochMetrics m, double[] p) throws Exception {
                output.addEpoch(m);
                long elapsed = System.nanoTime() - started;
                double perEpoch = (double) elapsed / (m.epoch() - firstEpoch + 1);
                double eta = perEpoch * (epochs - m.epoch()) / 1e9;
                System.out.printf("epoch %d/%d  %s  %.2fs  %,.0f samples/s  %d %s  ETA %s%n", m.epoch(), epochs,
                        EpochLine.figures(m, model.loss().regression()), m.seconds(), samples / m.seconds(), syncs[0],
                        syncs[0] == 1 ? "sync" : "syncs", duration(eta));
                if (m.epoch() == firstEpoch) {
                    LOG.info(startUp.mark(firstEpoch == 1 ? "first epoch" : "epoch " + firstEpoch)
                            .describe("start-up, to the first epoch line"));
                }
                int every = cfg.get(TrainOptions.CHECKPOINT_EVERY);
                if (every > 0 && m.epoch() % every == 0) {
                    checkpoints.write(m.epoch(), model.layout(), p, optimizer, output.epochs(), cfg.recipe());
                }
                lastLine = System.nanoTime();
                stopIfAsked();
            }
        });
        PhaseTimes tail = new PhaseTimes(System.currentTimeMillis());
        EpochMetrics last = output.epochs().get(output.epochs().size() - 1);
        if (result.bestEpoch() > 0) {
            last = output.epochs().stream().filter(e -> e.epoch() == result.bestEpoch()).findFirst().orElse(last);
            System.out.printf("early stopping: %s the model is epoch %d's, the best %s%n", result.stoppedEarly()
                    ? "stopped after epoch " + output.epochs().get(output.epochs().size() - 1).epoch() + ";" : "",
                    result.bestEpoch(), cfg.get(TrainOptions.EARLY_STOPPING_METRIC).column());
        }
        double[] saved = scaling == null ? params : scaling.fold(model.layout(), params);
        Map<String, Object> how = new java.util.LinkedHashMap<>(engine);
        how.putAll(report.get());
        output.writeModel(model.layout(), saved, optimizer, Manifest.of(cfg, model, data.files(), data.inputScaling(),
                last, optimizer, how, saved, syncs[0]).trained(result.bestEpoch(), scaling));
        tail.mark("model");
        output.writeCurves();
        if (!model.loss().regression()) {
            EvaluationSums lastTest = result.lastTest().orElseGet(() -> test.evaluation(saved));
            output.writePictures(Evaluator.of(lastTest, data.imageRows(), data.imageCols()));
        }
        tail.mark("curves and pictures");
        output.succeed();
        LOG.info(tail.describe("outputs after the last epoch"));
        System.out.printf("%s  (model in %s)%n", EpochLine.result(last, model.loss().regression()), output.dir());
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }

    /** After a SIGINT or SIGTERM ({@link Stop}): ends training between steps; the command says why. */
    private static void stopIfAsked() {
        if (Stop.requested()) {
            throw new java.util.concurrent.CancellationException("stopped by " + Stop.signalName());
        }
    }
}
