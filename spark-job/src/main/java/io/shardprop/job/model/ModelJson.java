package io.shardprop.job.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.job.error.UsageException;

import java.util.Arrays;

/**
 * Reads what a model needs from {@code model.json}: {@code architecture.inputs}, {@code .hidden} (widths),
 * {@code .classes}, {@code .bias_vectors} (false when absent) and {@code loss.mode} ({@code seed} or
 * {@code xent}); checks {@code format}, {@code format_version} (at most {@link ModelFiles#FORMAT_VERSION}) and
 * {@code weights.files} against them when present. Other keys
 * (options, metrics, versions) are informative only.
 */
final class ModelJson {
    private ModelJson() {
    }

    /**
     * @param m    the parsed file
     * @param file its URI, which starts every message
     * @throws UsageException naming the key and the problem
     */
    static Mlp parse(JsonNode m, String file) {
        if (!m.isObject()) {
            throw new UsageException(file + ": expected a JSON object");
        }
        if (m.has("format") && !"shardprop-model".equals(m.get("format").asText())) {
            throw new UsageException(file + ": format is '" + m.get("format").asText()
                    + "', expected 'shardprop-model'");
        }
        JsonNode version = m.path("format_version");
        if (!version.isMissingNode() && (!version.isIntegralNumber() || version.asInt() < 1)) {
            throw new UsageException(file + ": format_version must be a positive integer, got " + version);
        }
        if (version.asInt(1) > ModelFiles.FORMAT_VERSION) {
            throw new UsageException(file + ": format_version " + version.asInt() + " was written by a newer "
                    + "ShardProp (this one reads up to " + ModelFiles.FORMAT_VERSION + ")");
        }
        JsonNode arch = m.path("architecture");
        int inputs = positiveInt(arch, "inputs", file);
        int classes = positiveInt(arch, "classes", file);
        JsonNode hiddenNode = arch.path("hidden");
        if (!hiddenNode.isArray() || hiddenNode.isEmpty()) {
            throw new UsageException(file + ": architecture.hidden must be a non-empty array of layer widths");
        }
        int[] hidden = new int[hiddenNode.size()];
        for (int i = 0; i < hidden.length; i++) {
            if (!hiddenNode.get(i).canConvertToInt() || !hiddenNode.get(i).isIntegralNumber()) {
                throw new UsageException(file + ": architecture.hidden[" + i + "] is not an integer");
            }
            hidden[i] = hiddenNode.get(i).asInt();
        }
        JsonNode biasNode = arch.path("bias_vectors");
        if (!biasNode.isMissingNode() && !biasNode.isBoolean()) {
            throw new UsageException(file + ": architecture.bias_vectors must be true or false");
        }
        String mode = m.path("loss").path("mode").asText("");
        Loss loss = switch (mode) {
            case "seed" -> Loss.SEED;
            case "xent" -> Loss.XENT;
            default -> throw new UsageException(file + ": loss.mode is '" + mode + "', expected seed or xent");
        };
        Layout layout;
        try {
            layout = new Layout(inputs, hidden, classes, biasNode.asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
        JsonNode files = m.path("weights").path("files");
        if (files.isArray()) {
            String[] listed = new String[files.size()];
            for (int i = 0; i < listed.length; i++) {
                listed[i] = files.get(i).asText();
            }
            if (!Arrays.equals(listed, layout.fileNames())) {
                throw new UsageException(file + ": weights.files " + Arrays.toString(listed) + " do not match "
                        + layout.describe() + ", which needs " + Arrays.toString(layout.fileNames()));
            }
        }
        return new Mlp(layout, loss);
    }

    private static int positiveInt(JsonNode arch, String key, String file) {
        JsonNode n = arch.path(key);
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
            throw new UsageException(file + ": architecture." + key + " must be a positive integer, got "
                    + (n.isMissingNode() ? "nothing" : n.toString()));
        }
        return n.asInt();
    }
}
