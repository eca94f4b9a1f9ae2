package io.shardprop.job.cli;

import io.shardprop.job.model.SavedModel;
import io.shardprop.job.predict.Scoring;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options evaluate and predict share: how rows are stored ({@link FrameColumns}), {@code --overwrite} and the
 * {@link Parallelism} of their blocks; and the {@link Scoring} they make.
 */
final class ScoringOptions {

    @Mixin
    FrameColumns columns;
    @Option(names = "--overwrite", description = "Replace --out if it exists.")
    boolean overwrite;
    @Mixin
    Parallelism parallelism;

    /** Throws a {@link io.shardprop.job.error.UsageException} naming the option when a value is out of range. */
    void validate() {
        parallelism.validate();
    }

    /** The scoring of {@code saved} with these options' block size and partitions. */
    Scoring of(SavedModel saved) {
        return new Scoring(saved, parallelism.blockSize(), parallelism.partitions());
    }

    /**
     * The rows of {@code option}'s file {@code uri}, read by these columns once Spark runs (a LibSVM file at the
     * model's width), with their labels when {@code labeled}, else a label of 0 (predict needs none).
     */
    Scoring.Rows rows(String option, String uri, SavedModel saved, boolean labeled) {
        int width = saved.layout().inputs() - 1;
        return new Scoring.Rows(option, uri, columns.format.id(), spark -> labeled ? columns.read(spark, uri, width)
                : columns.readUnlabeled(spark, uri, width));
    }
}
