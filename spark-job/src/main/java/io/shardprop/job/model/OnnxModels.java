package io.shardprop.job.model;

import io.shardprop.core.linalg.Precision;
import io.shardprop.core.onnx.OnnxExport;
import io.shardprop.core.onnx.OnnxGraph;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.BuildInfo;
import io.shardprop.job.io.HadoopFs;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A saved model as an ONNX file ({@link OnnxExport}): its {@code metadata_props} say what the graph takes and gives
 * (the model's loss, activation, input scaling, weights' SHA-256), and the file is written whole or not at all.
 */
public final class OnnxModels {

    /** How the model's first-layer inputs were scaled for an IDX-trained model. */
    public static final String PIXEL_SCALING = "pixel / 255.0";

    private OnnxModels() {
    }

    /**
     * The ONNX bytes of {@code saved}.
     *
     * @param pixels take raw pixels (0–255): only for a model trained on IDX images ({@code pixel / 255.0})
     * @throws UsageException starting with {@code --input} when pixels are asked of a model not trained on pixels
     */
    public static byte[] export(SavedModel saved, Precision precision, boolean pixels) {
        ModelManifest.Architecture a = saved.manifest().architecture();
        String scaling = a == null ? null : a.inputScaling();
        if (pixels && !PIXEL_SCALING.equals(scaling)) {
            throw new UsageException("--input pixels: " + saved.dir() + " was not trained on IDX images (its input scaling is "
                    + (scaling == null ? "none" : "'" + scaling + "'") + "); export it with --input features");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("shardprop.model", saved.describe());
        metadata.put("shardprop.activation", saved.model().activation().id());
        metadata.put("shardprop.precision", precision.id());
        metadata.put("shardprop.input", pixels ? OnnxExport.PIXELS + " (0-255; the graph divides by 255)"
                : OnnxExport.FEATURES + (scaling == null ? "" : " (" + scaling + ")"));
        if (saved.manifest().weights() != null && saved.manifest().weights().sha256() != null) {
            metadata.put("shardprop.weights_sha256", saved.manifest().weights().sha256());
        }
        if (saved.model().loss() == io.shardprop.core.model.Loss.SEED) {
            metadata.put("shardprop.softmax", "the notebook's: exp(h - max) / (sum + 1e-12)");
        }
        OnnxGraph.ElementType type = precision == Precision.FLOAT32 ? OnnxGraph.ElementType.FLOAT
                : OnnxGraph.ElementType.DOUBLE;
        return OnnxExport.export(saved.model(), saved.params(), new OnnxExport.Options(type, pixels),
                BuildInfo.version(), metadata);
    }

    /** Writes {@code bytes} to {@code uri} under a temporary name, then renames it into place. */
    public static void write(HadoopFs fs, String uri, byte[] bytes) throws IOException {
        fs.writeAtomically(uri, out -> out.write(bytes));
    }
}
