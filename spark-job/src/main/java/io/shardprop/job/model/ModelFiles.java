package io.shardprop.job.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shardprop.core.data.MalformedFileException;
import io.shardprop.core.io.Npy;
import io.shardprop.core.io.NpyArray;
import io.shardprop.core.linalg.Mat;
import io.shardprop.core.model.Layout;
import io.shardprop.job.io.HadoopFs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model folder's files, the one place their bytes are made and read back, for the run's {@code model/},
 * its checkpoints, {@link SavedModel#save} and the Spark ML writer:
 * <ul>
 *   <li>{@code W1.npy}, {@code b1.npy}, {@code W2.npy}, … in {@link Layout#fileNames()} order: float64, C order,
 *       weights {@code [in, out]}, biases 1-D {@code [out]} (checkpoints of earlier versions wrote
 *       {@code [1, out]}, which still reads);
 *   <li>{@code optimizer-<key>.npy}: the optimizer's state, 1-D in the parameters' flat order;
 *   <li>{@code model.json}, written with {@link #JSON}.
 * </ul>
 */
public final class ModelFiles {

    /** The {@code format_version} of {@code model.json} this build writes, and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    /** The manifest's file name. */
    public static final String MANIFEST = "model.json";
    /** Every JSON file ShardProp writes or reads: indented, otherwise Jackson's defaults. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * {@code model.json} and {@code checkpoint.json}: {@link #JSON} with snake_case keys for record components
     * (a map's keys stay as they are), absent parts (null) not written, unknown keys ignored on reading.
     */
    public static final ObjectMapper RUN_JSON = JSON.copy()
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelFiles() {
    }

    /** The file of the optimizer's state {@code key}, e.g. {@code optimizer-m.npy}. */
    public static String optimizerFile(String key) {
        return "optimizer-" + key + ".npy";
    }

    /** Whether {@code fileName} (one of {@link Layout#fileNames()}) holds a bias vector. */
    public static boolean isBias(String fileName) {
        return fileName.startsWith("b");
    }

    /** The weight files of {@code params} and the optimizer's state files, by name, as .npy bytes. */
    public static Map<String, byte[]> encode(Layout layout, double[] params, Map<String, double[]> optimizerState) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String[] names = layout.fileNames();
        Mat[] views = layout.views(params);
        for (int i = 0; i < names.length; i++) {
            Mat m = views[i];
            int[] shape = isBias(names[i]) ? new int[]{m.cols()} : new int[]{m.rows(), m.cols()};
            files.put(names[i], npy(shape, m.data(), m.offset(), m.size()));
        }
        optimizerState.forEach((key, v) -> files.put(optimizerFile(key), npy(new int[]{v.length}, v, 0, v.length)));
        return files;
    }

    /**
     * Writes a model folder into {@code dir}: the weight files, the optimizer's state files and the manifest
     * ({@code model.json}), each under a temporary name, then renamed.
     */
    public static void write(HadoopFs fs, String dir, Layout layout, double[] params,
                             Map<String, double[]> optimizerState, ModelManifest manifest) throws IOException {
        fs.mkdirs(dir);
        for (Map.Entry<String, byte[]> f : encode(layout, params, optimizerState).entrySet()) {
            fs.writeAtomically(HadoopFs.child(dir, f.getKey()), out -> out.write(f.getValue()));
        }
        fs.writeString(HadoopFs.child(dir, MANIFEST), RUN_JSON.writeValueAsString(manifest) + "\n");
    }

    /** Reads one file's bytes, by name; throws {@link java.io.FileNotFoundException} when it is missing. */
    public interface Source {
        byte[] read(String name) throws IOException;
    }

    /**
     * The parameters in the weight files of {@code from}, each checked against {@code layout}: its shape (a bias
     * as {@code [out]} or {@code [1, out]}) and finite values.
     *
     * @param where names the folder in messages
     * @throws MalformedFileException naming the file and what is wrong
     * @throws IOException            if a file cannot be read (a missing one: {@link java.io.FileNotFoundException})
     */
    public static double[] decodeWeights(Layout layout, Source from, String where) throws IOException {
        double[] params = new double[layout.paramCount()];
        String[] names = layout.fileNames();
        Mat[] views = layout.views(params);
        for (int i = 0; i < names.length; i++) {
            String file = where + "/" + names[i];
            NpyArray a = Npy.read(new ByteArrayInputStream(from.read(names[i])), file);
            Mat v = views[i];
            int[] shape = a.shape();
            boolean bias = isBias(names[i]);
            boolean fits = bias
                    ? Arrays.equals(shape, new int[]{v.cols()}) || Arrays.equals(shape, new int[]{1, v.cols()})
                    : Arrays.equals(shape, new int[]{v.rows(), v.cols()});
            if (!fits) {
                throw new MalformedFileException(file, "shape " + Arrays.toString(shape) + ", expected "
                        + (bias ? "[" + v.cols() + "]" : "[" + v.rows() + ", " + v.cols() + "]") + " for "
                        + layout.describe());
            }
            double[] data = a.data();
            for (int k = 0; k < data.length; k++) {
                if (!Double.isFinite(data[k])) {
                    throw new MalformedFileException(file, "element " + k + " is " + data[k]
                            + " (weights must be finite)");
                }
            }
            System.arraycopy(data, 0, params, v.offset(), v.size());
        }
        return params;
    }

    /** Restores the optimizer's state arrays ({@code state}, modified) from their files in {@code from}. */
    public static void decodeOptimizer(Map<String, double[]> state, Source from, String where) throws IOException {
        for (Map.Entry<String, double[]> e : state.entrySet()) {
            String name = optimizerFile(e.getKey());
            NpyArray a = Npy.read(new ByteArrayInputStream(from.read(name)), where + "/" + name);
            if (!Arrays.equals(a.shape(), new int[]{e.getValue().length})) {
                throw new MalformedFileException(where + "/" + name, "shape " + Arrays.toString(a.shape())
                        + ", expected [" + e.getValue().length + "]");
            }
            System.arraycopy(a.data(), 0, e.getValue(), 0, e.getValue().length);
        }
    }

    private static byte[] npy(int[] shape, double[] data, int offset, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size * 8 + 128);
        Npy.write(out, shape, data, offset);
        return out.toByteArray();
    }
}
