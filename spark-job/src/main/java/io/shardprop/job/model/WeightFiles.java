package io.shardprop.job.model;

import io.shardprop.core.data.MalformedFileException;
import io.shardprop.core.io.Npy;
import io.shardprop.core.io.NpyArray;
import io.shardprop.core.linalg.Mat;
import io.shardprop.core.model.Layout;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

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
        double[] params = new double[layout.paramCount()];
        String[] names = layout.fileNames();
        Mat[] views = layout.views(params);
        for (int i = 0; i < names.length; i++) {
            String uri = HadoopFs.child(dir, names[i]);
            Mat v = views[i];
            NpyArray a;
            try (InputStream in = fs.open(uri)) {
                a = Npy.read(in, uri);
            } catch (java.io.FileNotFoundException e) {
                throw new UsageException(uri + " is missing (" + layout.describe() + " needs "
                        + String.join(", ", names) + ")");
            } catch (MalformedFileException e) {
                throw new UsageException(e.getMessage());
            } catch (IOException e) {
                throw new UsageException(uri + ": cannot read: " + e.getMessage());
            }
            int[] shape = a.shape();
            boolean bias = names[i].startsWith("b");
            boolean fits = bias
                    ? Arrays.equals(shape, new int[]{v.cols()}) || Arrays.equals(shape, new int[]{1, v.cols()})
                    : Arrays.equals(shape, new int[]{v.rows(), v.cols()});
            if (!fits) {
                throw new UsageException(uri + " has shape " + Arrays.toString(shape) + ", expected "
                        + (bias ? "[" + v.cols() + "]" : "[" + v.rows() + ", " + v.cols() + "]") + " for "
                        + layout.describe());
            }
            double[] data = a.data();
            for (int k = 0; k < data.length; k++) {
                if (!Double.isFinite(data[k])) {
                    throw new UsageException(uri + ": element " + k + " is " + data[k] + " (weights must be finite)");
                }
            }
            System.arraycopy(data, 0, params, v.offset(), v.size());
        }
        return params;
    }
}
