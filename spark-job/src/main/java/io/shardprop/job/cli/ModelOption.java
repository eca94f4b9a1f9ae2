package io.shardprop.job.cli;

import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.model.SavedModel;
import picocli.CommandLine.Option;

/**
 * {@code --model DIR}, the mixin of the commands that use a trained model: a run folder or its {@code model/}
 * folder, loaded and checked before Spark starts.
 */
final class ModelOption {

    @Option(names = "--model", paramLabel = "DIR", description = "A run folder (from train) or its model folder.")
    String dir;

    /** @throws UsageException starting with {@code --model:} when the model cannot be used */
    SavedModel load(HadoopFs fs) {
        if (dir == null) {
            throw new UsageException("--model DIR is required (a run folder or its model folder)");
        }
        try {
            return SavedModel.load(fs, dir);
        } catch (UsageException e) {
            throw new UsageException("--model: " + e.getMessage());
        }
    }
}
