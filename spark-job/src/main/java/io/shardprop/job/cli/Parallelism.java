package io.shardprop.job.cli;

import io.shardprop.job.error.UsageException;
import picocli.CommandLine.Option;

/** {@code --partitions} and {@code --block-size} of the scoring commands (evaluate, predict), checked. */
public final class Parallelism {

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "0",
            description = "Partitions of the cached blocks; 0 (the default): the cluster's default parallelism.")
    int partitions;
    @Option(names = "--block-size", paramLabel = "ROWS", defaultValue = "4096",
            description = "Images per block, one forward pass each (default: ${DEFAULT-VALUE}).")
    int blockSize;

    /** Throws a {@link UsageException} naming the option when a value is out of range. */
    void validate() {
        if (partitions < 0) {
            throw new UsageException("--partitions must be 0 (default) or more, got " + partitions);
        }
        if (blockSize < 1) {
            throw new UsageException("--block-size must be at least 1, got " + blockSize);
        }
    }

    /** {@code --partitions}: 0 for the cluster's default parallelism. */
    int partitions() {
        return partitions;
    }

    int blockSize() {
        return blockSize;
    }
}
