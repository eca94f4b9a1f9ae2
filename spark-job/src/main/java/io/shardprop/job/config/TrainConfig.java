package io.shardprop.job.config;

import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.optim.OptimizerSpec;
import io.shardprop.core.optim.OuterOptimizer;
import io.shardprop.core.train.Trainer;
import io.shardprop.job.error.UsageException;

import java.util.Arrays;

/**
 * A validated {@code train} configuration. Construction checks every range, so an instance is always
 * usable; a bad value is a {@link UsageException} naming the option.
 */
public record TrainConfig(
        String trainImages, String trainLabels, String testImages, String testLabels,
        int epochs, double lr, Loss loss, int[] hidden, boolean bias, Init init, String initWeights, long seed,
        int batchSize, OptimizerName optimizer, double momentum, double beta1, double beta2, double weightDecay,
        Schedule lrSchedule, int lrStepSize, double lrGamma, Engine engine, Precision precision,
        int partitions, int blockSize, String out, boolean overwrite, int checkpointEvery, boolean resume,
        LocalStepOptions sync) {

    /**
     * Full-batch block size: large enough for efficient products, small enough that MNIST's 60,000 samples
     * make 30 blocks, which spread evenly over 2, 3, 5, 6, 10 or 15 partitions.
     */
    public static final int FULL_BATCH_BLOCK = 2000;

    public TrainConfig {
        require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
        require(lr > 0 && Double.isFinite(lr), "--lr must be positive and finite, got " + lr);
        require(hidden.length >= 1 && Arrays.stream(hidden).allMatch(h -> h >= 1 && h <= 65536),
                "--hidden: each size must be between 1 and 65536, got " + Arrays.toString(hidden));
        require(batchSize >= 0, "--batch-size must be 0 (full batch) or positive, got " + batchSize);
        require(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1), got " + momentum);
        require(beta1 >= 0 && beta1 < 1, "--beta1 must be in [0, 1), got " + beta1);
        require(beta2 >= 0 && beta2 < 1, "--beta2 must be in [0, 1), got " + beta2);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "--weight-decay must be ≥ 0, got " + weightDecay);
        require(lrStepSize >= 1, "--lr-step-size must be at least 1, got " + lrStepSize);
        require(lrGamma > 0 && Double.isFinite(lrGamma), "--lr-gamma must be positive, got " + lrGamma);
        require(partitions >= 0, "--partitions must be 0 (Spark's default parallelism) or more, got " + partitions);
        require(blockSize >= 0 && blockSize <= 1 << 20,
                "--block-size must be 0 (chosen from the batch size) or between 1 and 1048576, got " + blockSize);
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
        require(seed >= 0 && seed <= 0xFFFF_FFFFL, "--seed must be between 0 and 4294967295, got " + seed);
        require(out != null && !out.isBlank(), "--out is required");
        require(checkpointEvery >= 0, "--checkpoint-every must be 0 (never) or positive, got " + checkpointEvery);
        hidden = hidden.clone();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UsageException(message);
        }
    }

    public Mlp model() {
        return new Mlp(Layout.mnist(hidden, bias), loss);
    }

    /**
     * Samples per block: {@code --block-size}, or 2000 for full batch; with local steps, a replica's whole
     * mini-batch ({@code batch / replicas}, or its largest divisor ≤ 2000), since a replica's blocks run one
     * after the other; else the largest divisor of the batch size ≤ batch/4 (a step's blocks spread over tasks).
     */
    public int effectiveBlockSize() {
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
        return batchSize == 0 ? 0 : batchSize / effectiveBlockSize();
    }

    /** The optimizer the driver steps and checkpoints: the outer one with local steps, else the only one. */
    public Optimizer newOptimizer(int size) {
        return sync.enabled() ? new OuterOptimizer(sync.outer().id(), size, sync.outerMomentum()) : inner().create(size);
    }

    /** {@code --optimizer} and its settings: what every step (or every local step of a replica) uses. */
    public OptimizerSpec inner() {
        return new OptimizerSpec(optimizer.id(), momentum, beta1, beta2, weightDecay);
    }

    /** The local-step settings for the trainer, or null without local steps. */
    public Trainer.Rounds rounds() {
        return sync.enabled() ? new Trainer.Rounds(sync.replicas(), sync.syncsPerEpoch(), inner(), sync.outerLr()) : null;
    }

    public LrSchedule schedule() {
        return new LrSchedule(lrSchedule.id(), lr, lrStepSize, lrGamma, epochs);
    }
}
