package io.shardprop.job.cli;

/**
 * A validated {@code train} configuration. Construction checks every range, so an instance is always
 * usable; a bad value is a {@link UsageException} naming the option.
 */
public record TrainConfig(
        String trainImages, String trainLabels, String testImages, String testLabels,
        int epochs, double lr, String loss, int hidden, String init, String initWeights, long seed,
        int partitions, int blockSize, String out, boolean overwrite) {

    public TrainConfig {
        require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
        require(lr > 0 && Double.isFinite(lr), "--lr must be positive and finite, got " + lr);
        require(hidden >= 1 && hidden <= 65536, "--hidden must be between 1 and 65536, got " + hidden);
        require(partitions >= 0, "--partitions must be at least 1, got " + partitions);
        require(blockSize >= 1 && blockSize <= 1 << 20, "--block-size must be between 1 and 1048576, got "
                + blockSize);
        require(seed >= 0 && seed <= 0xFFFF_FFFFL, "--seed must be between 0 and 4294967295, got " + seed);
        require(out != null && !out.isBlank(), "--out is required");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UsageException(message);
        }
    }
}
