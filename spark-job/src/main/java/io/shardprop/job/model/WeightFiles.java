package io.shardprop.job.model;

import io.shardprop.core.data.MalformedFileException;
import io.shardprop.core.model.Layout;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;

import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * The weight files of a layout ({@code W1.npy}, {@code W2.npy}, {@code b2.npy}, …) read from a folder into one
 * flat parameter vector, every shape and value checked: a model to evaluate, or {@code --init-weights}.
 */
public final class WeightFiles {

    private WeightFiles() {
    }

    /**
     * @throws UsageException naming the file and what is wrong (missing, malformed, wrong shape, not finite)
     */
    public static double[] read(HadoopFs fs, String dir, Layout layout) {
        try {
            return ModelFiles.decodeWeights(layout, name -> {
                String uri = HadoopFs.child(dir, name);
                try {
                    return fs.readAll(uri);
                } catch (FileNotFoundException e) {
                    throw new FileNotFoundException(uri);
                }
            }, dir);
        } catch (FileNotFoundException e) {
            throw new UsageException(e.getMessage() + " is missing (" + layout.describe() + " needs "
                    + String.join(", ", layout.fileNames()) + ")");
        } catch (MalformedFileException e) {
            throw new UsageException(e.getMessage());
        } catch (IOException e) {
            throw new UsageException(dir + ": cannot read: " + e.getMessage());
        }
    }
}
