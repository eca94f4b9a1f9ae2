package io.shardprop.job.cli;

import picocli.CommandLine.Option;

/** {@code --test-images} and {@code --test-labels}: the IDX test set of train and evaluate, one file each. */
final class TestFiles {

    @Option(names = "--test-images", paramLabel = "PATH", description = "Test images (overrides --data).")
    String images;
    @Option(names = "--test-labels", paramLabel = "PATH", description = "Test labels (overrides --data).")
    String labels;
}
