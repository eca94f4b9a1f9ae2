package io.shardprop.job.config;

import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.optim.OptimizerKind;
import io.shardprop.core.optim.OptimizerSpec;
import io.shardprop.core.optim.OuterOptimizer;
import io.shardprop.core.train.Trainer;
import io.shardprop.job.error.UsageException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A validated {@code train} configuration, in groups: the input files, the network, the optimization, where
 * it runs, its output, the local steps, and the training images' augmentation. Construction checks every range (each group its own, this record
 * those across groups), so an instance is always usable; a bad value is a {@link UsageException} naming the
 * option.
 */
public record TrainConfig(Inputs inputs, Network network, Optimization optimization, Execution execution,
                          Output output, LocalStepOptions sync, Augmentation augmentation) {

    /**
     * Full-batch block size: large enough for efficient products, small enough that MNIST's 60,000 samples
     * make 30 blocks, which spread evenly over 2, 3, 5, 6, 10 or 15 partitions.
     */
    public static final int FULL_BATCH_BLOCK = 2000;

    /** {@code --train-images}, {@code --train-labels}, {@code --test-images}, {@code --test-labels} (or {@code --data}). */
    public record Inputs(String trainImages, String trainLabels, String testImages, String testLabels) {
    }

    /** {@code --hidden}, {@code --bias}, {@code --loss}, {@code --init}, {@code --init-weights}, {@code --seed}. */
    public record Network(int[] hidden, boolean bias, Loss loss, Init init, String initWeights, long seed) {
        public Network {
            require(hidden.length >= 1 && Arrays.stream(hidden).allMatch(h -> h >= 1 && h <= 65536),
                    "--hidden: each size must be between 1 and 65536, got " + Arrays.toString(hidden));
            require(seed >= 0 && seed <= 0xFFFF_FFFFL, "--seed must be between 0 and 4294967295, got " + seed);
            hidden = hidden.clone();
        }
    }

    /** {@code --epochs}, {@code --batch-size}, {@code --optimizer} and its settings, {@code --lr} and its schedule. */
    public record Optimization(int epochs, int batchSize, OptimizerKind optimizer, double lr, double momentum,
                               double beta1, double beta2, double weightDecay, LrSchedule.Kind lrSchedule, int lrStepSize,
                               double lrGamma) {
        public Optimization {
            require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
            require(batchSize >= 0, "--batch-size must be 0 (full batch) or positive, got " + batchSize);
            require(lr > 0 && Double.isFinite(lr), "--lr must be positive and finite, got " + lr);
            require(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got " + momentum);
            require(beta1 >= 0 && beta1 < 1, "--beta1 must be in [0, 1), got " + beta1);
            require(beta2 >= 0 && beta2 < 1, "--beta2 must be in [0, 1), got " + beta2);
            require(weightDecay >= 0 && Double.isFinite(weightDecay), "--weight-decay must be ≥ 0, got " + weightDecay);
            require(lrStepSize >= 1, "--lr-step-size must be at least 1, got " + lrStepSize);
            require(lrGamma > 0 && Double.isFinite(lrGamma), "--lr-gamma must be positive, got " + lrGamma);
        }
    }

    /** {@code --engine}, {@code --precision}, {@code --partitions}, {@code --block-size}. */
    public record Execution(Engine engine, Precision precision, int partitions, int blockSize) {
        public Execution {
            require(partitions >= 0, "--partitions must be 0 (Spark's default parallelism) or more, got " + partitions);
            require(blockSize >= 0 && blockSize <= 1 << 20,
                    "--block-size must be 0 (chosen from the batch size) or between 1 and 1048576, got " + blockSize);
        }
    }

    /**
     * {@code --out}, {@code --overwrite}, {@code --checkpoint-every}, {@code --resume}; {@code out} is null when
     * nothing is written (a Spark ML {@code fit}).
     */
    public record Output(String out, boolean overwrite, int checkpointEvery, boolean resume) {
        /** No output folder, no checkpoints. */
        public static final Output NONE = new Output(null, false, 0, false);

        public Output {
            require(out == null || !out.isBlank(), "--out must not be blank");
            require(checkpointEvery >= 0, "--checkpoint-every must be 0 (never) or positive, got " + checkpointEvery);
        }
    }

    public TrainConfig {
        int batchSize = optimization.batchSize();
        int blockSize = execution.blockSize();
        require(batchSize == 0 || blockSize == 0 || batchSize % blockSize == 0,
                "--batch-size " + batchSize + " must be a multiple of --block-size " + blockSize);
        if (sync.enabled()) {
            require(batchSize > 0, "--syncs-per-epoch needs mini-batches (--batch-size > 0): a full-batch epoch is "
                    + "one sync already");
            require(batchSize % sync.replicas() == 0, "--batch-size " + batchSize + " must be a multiple of --replicas "
                    + sync.replicas() + " (each replica steps on batch/replicas samples)");
            require(blockSize == 0 || (batchSize / sync.replicas()) % blockSize == 0, "--block-size " + blockSize
                    + " must divide the per-replica batch " + batchSize / sync.replicas() + " (--batch-size / --replicas)");
        }
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new UsageException(message);
        }
    }

    /** The network of {@code --hidden}, {@code --bias} and {@code --loss} over images of {@code pixels} pixels. */
    public Mlp model(int pixels) {
        return new Mlp(new Layout(pixels + 1, network.hidden(), Layout.MNIST_CLASSES, network.bias()), network.loss());
    }

    /**
     * Samples per block: {@code --block-size}, or 2000 for full batch; with local steps, a replica's whole
     * mini-batch ({@code batch / replicas}, or its largest divisor ≤ 2000), since a replica's blocks run one
     * after the other; else the largest divisor of the batch size ≤ batch/4 (a step's blocks spread over tasks).
     */
    public int effectiveBlockSize() {
        int blockSize = execution.blockSize();
        int batchSize = optimization.batchSize();
        if (blockSize > 0) {
            return blockSize;
        }
        if (batchSize == 0) {
            return FULL_BATCH_BLOCK;
        }
        if (sync.enabled()) {
            int local = batchSize / sync.replicas();
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
        return optimization.batchSize() == 0 ? 0 : optimization.batchSize() / effectiveBlockSize();
    }

    /** The optimizer the driver steps and checkpoints: the outer one with local steps, else the only one. */
    public Optimizer newOptimizer(int size) {
        return sync.enabled() ? new OuterOptimizer(sync.outer(), size, sync.outerMomentum()) : inner().create(size);
    }

    /** {@code --optimizer} and its settings: what every step (or every local step of a replica) uses. */
    public OptimizerSpec inner() {
        Optimization o = optimization;
        return new OptimizerSpec(o.optimizer(), o.momentum(), o.beta1(), o.beta2(), o.weightDecay());
    }

    /** The local-step settings for the trainer, or null without local steps. */
    public Trainer.Rounds rounds() {
        return sync.enabled() ? new Trainer.Rounds(sync.replicas(), sync.syncsPerEpoch(), inner(), sync.outerLr()) : null;
    }

    /**
     * The options that shape the weights, by long option name, as strings: what a resumed run must repeat
     * (everything but {@code --epochs}, which may grow). Settings the run does not use (Adam's betas with SGD,
     * the outer optimizer without local steps) are left out.
     */
    public Map<String, String> recipe() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("hidden", Arrays.stream(network.hidden()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        r.put("bias", Boolean.toString(network.bias()));
        r.put("loss", network.loss().id());
        r.put("seed", Long.toString(network.seed()));
        Optimization o = optimization;
        r.put("batch-size", Integer.toString(o.batchSize()));
        r.put("optimizer", o.optimizer().id());
        r.put("lr", Double.toString(o.lr()));
        if (o.optimizer() == OptimizerKind.MOMENTUM) {
            r.put("momentum", Double.toString(o.momentum()));
        }
        if (o.optimizer() == OptimizerKind.ADAM) {
            r.put("beta1", Double.toString(o.beta1()));
            r.put("beta2", Double.toString(o.beta2()));
        }
        r.put("weight-decay", Double.toString(o.weightDecay()));
        r.put("lr-schedule", o.lrSchedule().id());
        if (o.lrSchedule() == LrSchedule.Kind.STEP) {
            r.put("lr-step-size", Integer.toString(o.lrStepSize()));
            r.put("lr-gamma", Double.toString(o.lrGamma()));
        }
        if (sync.enabled()) {
            r.put("replicas", Integer.toString(sync.replicas()));
            r.put("syncs-per-epoch", Integer.toString(sync.syncsPerEpoch()));
            r.put("outer", sync.outer().id());
            r.put("outer-lr", Double.toString(sync.outerLr()));
            if (sync.outer() == OuterOptimizer.Kind.NESTEROV) {
                r.put("outer-momentum", Double.toString(sync.outerMomentum()));
            }
        }
        if (augmentation.enabled()) {
            r.put("shift", Integer.toString(augmentation.shift()));
            r.put("image-height", Integer.toString(augmentation.imageHeight()));
        }
        r.put("precision", execution.precision().id());
        r.put("block-size", Integer.toString(effectiveBlockSize()));
        return r;
    }

    public LrSchedule schedule() {
        Optimization o = optimization;
        return new LrSchedule(o.lrSchedule(), o.lr(), o.lrStepSize(), o.lrGamma(), o.epochs());
    }
}
