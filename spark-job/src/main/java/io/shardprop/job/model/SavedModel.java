package io.shardprop.job.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Mlp;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A trained model as {@code train} writes it into {@code <run>/model/}: {@code model.json} (architecture and
 * loss) and one float64 {@code .npy} per matrix, named by {@link Layout#fileNames()}: {@code W1.npy
 * [inputs x hidden[0]]}, …, {@code WL.npy [hidden[L-2] x classes]}, with bias vectors {@code bl.npy [out]}
 * when {@code bias_vectors} is set. Loading reads JSON and .npy only (never Java deserialization) and
 * checks every shape against the architecture before anything is used.
 *
 * @param model    the architecture and loss from {@code model.json}
 * @param params   the flat parameter vector {@code [W1 | W2 | b2 | …]} (see {@link Layout})
 * @param manifest {@code model.json}, kept so that {@link #save} writes it back
 * @param dir      the qualified URI of the model folder (the one holding {@code model.json})
 */
public record SavedModel(Mlp model, double[] params, ModelManifest manifest, String dir) {

    public static final String MANIFEST = "model.json";
    /** The model folder inside a run folder. */
    public static final String MODEL_DIR = "model";

    /** Checks that {@code params} fits the layout. */
    public SavedModel {
        if (params.length != model.layout().paramCount()) {
            throw new IllegalArgumentException("SavedModel: " + params.length + " parameters, layout "
                    + model.layout().describe() + " needs " + model.layout().paramCount());
        }
    }

    /**
     * Loads a model from {@code path}: a model folder (holding {@code model.json}) or a run folder (holding
     * {@code model/model.json}).
     *
     * @throws UsageException naming the file and the problem: no {@code model.json}, malformed JSON, an
     *                        unknown loss or architecture, a missing or malformed weight file, a shape that
     *                        does not match the architecture, or non-finite weights
     */
    public static SavedModel load(HadoopFs fs, String path) {
        String dir = resolve(fs, path);
        String json = HadoopFs.child(dir, MANIFEST);
        JsonNode manifest;
        try (InputStream in = fs.open(json)) {
            manifest = ModelFiles.JSON.readTree(in);
        } catch (IOException e) {
            throw new UsageException(json + ": not valid JSON: " + firstLine(e.getMessage()));
        }
        ModelManifest bound = ModelManifest.read(manifest, json);
        Mlp model = bound.mlp(json);
        return new SavedModel(model, WeightFiles.read(fs, dir, model.layout()), bound, dir);
    }

    /** The folder holding {@code model.json}: {@code path} itself or {@code path/model}. */
    static String resolve(HadoopFs fs, String path) {
        try {
            String dir = fs.qualify(path);
            if (fs.isFile(HadoopFs.child(dir, MANIFEST))) {
                return dir;
            }
            String inner = HadoopFs.child(dir, MODEL_DIR);
            if (fs.isFile(HadoopFs.child(inner, MANIFEST))) {
                return inner;
            }
            throw new UsageException(dir + (fs.exists(dir) ? " has neither " + MANIFEST + " nor " + MODEL_DIR + "/"
                    + MANIFEST + " (expected a run folder or its model folder)" : " does not exist"));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UsageException(path + ": cannot read: " + e.getMessage());
        }
    }


    /**
     * Writes this model into {@code dir} as {@code train} does: the weight files (float64, C order; biases
     * 1-D) and {@code model.json}, each under a temporary name, then renamed.
     */
    public void save(HadoopFs fs, String dir) throws IOException {
        ModelFiles.write(fs, dir, model.layout(), params, Map.of(), manifest);
    }

    /** The model's layout. */
    public Layout layout() {
        return model.layout();
    }

    /** The folder that holds the model folder (a run folder when the model came from {@code train}). */
    public String runDir() {
        return new org.apache.hadoop.fs.Path(dir).getParent().toString();
    }

    /** A scorer over this model (copies nothing; do not modify {@link #params} afterwards). */
    public Scorer scorer() {
        return new Scorer(model, params);
    }

    /** E.g. {@code 785-100-10 seed}. */
    public String describe() {
        return model.layout().describe() + " " + model.loss().id();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
