package io.shardprop.job.cli;

import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.model.SavedModel;

/** {@code --model DIR}: a run folder or its {@code model/} folder, loaded and checked before Spark starts. */
final class ModelOption {

    private ModelOption() {
    }

    /** @throws UsageException starting with {@code --model:} when the model cannot be used */
    static SavedModel load(HadoopFs fs, String dir) {
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
