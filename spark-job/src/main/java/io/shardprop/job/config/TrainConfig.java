package io.shardprop.job.config;

import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.optim.InnerState;
import io.shardprop.core.optim.OptimizerSpec;
import io.shardprop.core.optim.OuterOptimizer;
import io.shardprop.core.train.EarlyStopping;
import io.shardprop.core.train.Trainer;
import io.shardprop.job.error.UsageException;

import java.util.Map;
import java.util.function.Function;

import static io.shardprop.job.config.TrainOptions.*;

/**
 * A validated {@code train} configuration: the {@link OptionValues training options} (each range checked once,
 * from its declaration; this record checks the rules across options), the input files and the output. An
 * instance is always usable; a bad value is an {@link OptionException} naming the option in the caller's
 * vocabulary.
 */
public record TrainConfig(OptionValues options, Inputs inputs, Output output) {

    /**
     * Full-batch block size: large enough for efficient products, small enough that MNIST's 60,000 samples
     * make 30 blocks, which spread evenly over 2, 3, 5, 6, 10 or 15 partitions.
     */
    public static final int FULL_BATCH_BLOCK = 2000;

    /** {@code --train-images}, {@code --train-labels}, {@code --test-images}, {@code --test-labels} (or --data). */
    public record Inputs(String trainImages, String trainLabels, String testImages, String testLabels) {
        /** No files: the data comes otherwise (a DataFrame, {@code --format}). */
        public static final Inputs NONE = new Inputs(null, null, null, null);
    }

    /** {@code --out}, {@code --overwrite}, {@code --resume}; {@code out} is null when nothing is written (a fit). */
    public record Output(String out, boolean overwrite, boolean resume) {
        /** No output folder. */
        public static final Output NONE = new Output(null, false, false);

        public Output {
            if (out != null && out.isBlank()) {
                throw new UsageException("--out", "--out must not be blank");
            }
        }
    }

    public TrainConfig {
        options.checked();
        int batchSize = batchSize(options);
        int blockSize = options.get(BLOCK_SIZE);
        require(batchSize == 0 || blockSize == 0 || batchSize % blockSize == 0, BATCH_SIZE,
                v -> v.name(BATCH_SIZE) + " " + batchSize + " must be a multiple of " + v.name(BLOCK_SIZE) + " "
                        + blockSize);
        options.get(CACHE).requireFor(options.get(PRECISION));
        boolean regression = options.get(LOSS).regression();
        require(!regression || options.get(TARGET_SCALING) != TargetScale.STANDARDIZE || options.get(BIAS),
                TARGET_SCALING, v -> v.name(TARGET_SCALING) + " standardize folds the targets' mean into the last "
                        + "layer's bias: set " + v.name(BIAS) + " true, or " + v.name(TARGET_SCALING) + " none");
        EarlyStopping.Metric watched = options.get(EARLY_STOPPING_METRIC);
        boolean fits = watched == EarlyStopping.Metric.LOSS || (regression
                ? watched == EarlyStopping.Metric.RMSE || watched == EarlyStopping.Metric.R2
                : watched == EarlyStopping.Metric.ACCURACY);
        require(options.get(EARLY_STOPPING_PATIENCE) == 0 || fits, EARLY_STOPPING_METRIC,
                v -> v.name(EARLY_STOPPING_METRIC) + " " + watched.name().toLowerCase(java.util.Locale.ROOT)
                        + " does not fit a " + (regression ? "regression (loss, rmse or r2)"
                        : "classification (loss or accuracy)"));
        if (TrainOptions.localSteps(options)) {
            int replicas = options.get(REPLICAS);
            require(batchSize > 0, SYNCS_PER_EPOCH, v -> v.name(SYNCS_PER_EPOCH) + " needs mini-batches ("
                    + v.name(BATCH_SIZE) + " > 0): a full-batch epoch is one sync already");
            require(batchSize % replicas == 0, BATCH_SIZE, v -> v.name(BATCH_SIZE) + " " + batchSize
                    + " must be a multiple of " + v.name(REPLICAS) + " " + replicas
                    + " (each replica steps on batch/replicas samples)");
            require(blockSize == 0 || (batchSize / replicas) % blockSize == 0, BLOCK_SIZE, v -> v.name(BLOCK_SIZE)
                    + " " + blockSize + " must divide the per-replica batch " + batchSize / replicas + " ("
                    + (options.get(REPLICA_BATCH) > 0 ? v.name(REPLICA_BATCH)
                    : v.name(BATCH_SIZE) + " / " + v.name(REPLICAS)) + ")");
        }
    }

    /** Training options without files or an output folder (a Spark ML {@code fit}). */
    public static TrainConfig of(OptionValues options) {
        return new TrainConfig(options, Inputs.NONE, Output.NONE);
    }

    /**
     * Samples of one update across all replicas: {@code --replicas × --replica-batch} with local steps and a
     * replica batch, else {@code --batch-size} (0: full batch).
     */
    public int batchSize() {
        return batchSize(options);
    }

    private static int batchSize(OptionValues v) {
        return TrainOptions.localSteps(v) && v.get(REPLICA_BATCH) > 0 ? v.get(REPLICAS) * v.get(REPLICA_BATCH)
                : v.get(BATCH_SIZE);
    }

    private static void require(boolean ok, TrainOption<?> option, Function<Vocabulary, String> text) {
        if (!ok) {
            throw new OptionException(option, text);
        }
    }

    /** The value of a training option. */
    public <T> T get(TrainOption<T> option) {
        return options.get(option);
    }

    /**
     * Whether the training rows are cached as bytes: {@code --cache} resolved for rows whose values a byte holds as
     * {@code bytes} (null: none does).
     *
     * @param what the rows, for messages
     */
    public boolean cachesBytes(io.shardprop.core.linalg.ByteMat.Code bytes, String what) {
        return get(CACHE).resolve(get(PRECISION), bytes, what) == CacheType.UINT8;
    }

    /** The local steps: replicas, syncs, the outer optimizer (disabled with {@code --syncs-per-epoch 0}). */
    public LocalStepOptions sync() {
        return new LocalStepOptions(get(REPLICAS), get(SYNCS_PER_EPOCH), get(OUTER), get(OUTER_LR),
                get(OUTER_MOMENTUM), get(INNER_STATE));
    }

    /** {@code --shift}, {@code --elastic-alpha}, {@code --elastic-sigma}, {@code --rotate}, {@code --scale},
     * {@code --shear} and {@code --image-height}. */
    public Augmentation augmentation() {
        return Augmentation.of(options);
    }

    /** The network of {@code --hidden}, {@code --bias} and {@code --loss} over images of {@code pixels} pixels. */
    public Mlp model(int pixels) {
        return model(pixels, Layout.MNIST_CLASSES);
    }

    /** The network over rows of {@code width} values and {@code classes} classes. */
    public Mlp model(int width, int classes) {
        return new Mlp(new Layout(width + 1, get(HIDDEN), classes, get(BIAS)), get(LOSS), get(ACTIVATION));
    }

    /**
     * Samples per block: {@code --block-size}, or 2000 for full batch; with local steps, a replica's whole
     * mini-batch ({@code batch / replicas}, or its largest divisor ≤ 2000), since a replica's blocks run one
     * after the other; else the largest divisor of the batch size ≤ batch/4 (a step's blocks spread over tasks).
     */
    public int effectiveBlockSize() {
        int blockSize = get(BLOCK_SIZE);
        int batchSize = batchSize();
        if (blockSize > 0) {
            return blockSize;
        }
        if (batchSize == 0) {
            return FULL_BATCH_BLOCK;
        }
        if (sync().enabled()) {
            int local = batchSize / get(REPLICAS);
            return largestDivisor(local, Math.min(local, FULL_BATCH_BLOCK));
        }
        return largestDivisor(batchSize, Math.max(1, batchSize / 4));
    }

    /** The largest divisor of {@code n} that is at most {@code max} (1 at least). */
    private static int largestDivisor(int n, int max) {
        for (int d = max; d > 1; d--) {
            if (n % d == 0) {
                return d;
            }
        }
        return 1;
    }

    /** Blocks per step; 0 for full batch. */
    public int blocksPerStep() {
        return batchSize() == 0 ? 0 : batchSize() / effectiveBlockSize();
    }

    /** The optimizer the driver steps and checkpoints: the outer one with local steps, else the only one. */
    public Optimizer newOptimizer(int size) {
        LocalStepOptions sync = sync();
        return sync.enabled() ? new OuterOptimizer(sync.outer(), size, sync.outerMomentum(),
                sync.innerState() == InnerState.AVERAGE ? inner().stateSize(size) : 0) : inner().create(size);
    }

    /** {@code --optimizer} and its settings: what every step (or every local step of a replica) uses. */
    public OptimizerSpec inner() {
        return new OptimizerSpec(get(OPTIMIZER), get(MOMENTUM), get(BETA1), get(BETA2), get(WEIGHT_DECAY));
    }

    /**
     * The trainer of these options: the loss, the schedule, the steps of an epoch, local steps, and the deformation of
     * rows of {@code features} values. It steps the optimizer {@link #newOptimizer} makes (or a checkpoint restored).
     *
     * @throws OptionException when the rows are not images that the deformations can move
     */
    public Trainer trainer(int features) {
        Trainer t = new Trainer(get(LOSS), schedule(), get(EPOCHS), blocksPerStep(), get(SEED));
        if (sync().enabled()) {
            t = t.withLocalSteps(rounds());
        }
        return t.withDeformation(augmentation().on(features))
                .withEarlyStopping(new EarlyStopping(get(EARLY_STOPPING_PATIENCE), get(EARLY_STOPPING_METRIC)));
    }

    /** Whether the loss is a regression's. */
    public boolean regression() {
        return get(LOSS).regression();
    }

    /** Whether a regression's targets are standardized for training ({@code --target-scaling standardize}). */
    public boolean standardizesTargets() {
        return regression() && get(TARGET_SCALING) == TargetScale.STANDARDIZE;
    }

    /** The local-step settings for the trainer, or null without local steps. */
    public Trainer.Rounds rounds() {
        LocalStepOptions sync = sync();
        return sync.enabled() ? new Trainer.Rounds(sync.replicas(), sync.syncsPerEpoch(), inner(), sync.outerLr(),
                sync.innerState()) : null;
    }

    /**
     * The options that shape the weights, by name, as strings: what a resumed run must repeat (everything but
     * {@code --epochs}, which may grow); the block size as chosen. Settings the run does not use (Adam's betas
     * with SGD, the outer optimizer without local steps) are left out.
     */
    public Map<String, String> recipe() {
        return options.with(BLOCK_SIZE, effectiveBlockSize()).recipe();
    }

    /** What {@code model.json} records of the options: the recipe, the epochs and the initial weights. */
    public Map<String, Object> described() {
        return options.with(BLOCK_SIZE, effectiveBlockSize()).described();
    }

    public LrSchedule schedule() {
        return new LrSchedule(get(LR_SCHEDULE), get(LR), get(LR_STEP_SIZE), get(LR_GAMMA), get(EPOCHS));
    }
}
