package io.shardprop.job.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Activation;
import io.shardprop.core.model.Mlp;
import io.shardprop.job.error.UsageException;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code model.json}, bound by Jackson ({@link ModelFiles#RUN_JSON}): what a model needs ({@link #architecture},
 * {@link #loss}, the weight {@link Weights#files}) and what documents the run (optimizer, options, engine, data,
 * metrics, versions). Keys are snake_case but those of {@code options}, the training options by the names
 * {@code train} and {@code checkpoint.json} give them ({@code weight-decay}); absent parts are null and not
 * written. {@link #mlp} checks the parts a model needs:
 * {@code format}, {@code format_version} (at most {@link ModelFiles#FORMAT_VERSION}), the architecture, the
 * loss and the weight files' names. Open-ended parts (an optimizer's settings, the engine) are maps.
 */
public record ModelManifest(String format, Integer formatVersion, Architecture architecture, Weights weights,
                            LossSpec loss, Map<String, Object> optimizer, Map<String, Object> options,
                            Map<String, Object> engine,
                            Integer syncsPerEpoch, Map<String, DataFile> data, Metrics metrics,
                            Versions versions, String created, Integer bestEpoch, TargetScalingSpec targetScaling) {

    /** The value of {@code format}. */
    public static final String FORMAT = "shardprop-model";

    private static final ObjectReader READER = ModelFiles.RUN_JSON.readerFor(ModelManifest.class)
            .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    /** The network: widths, bias vectors, and how inputs and outputs are to be read. */
    public record Architecture(List<String> layers, Integer inputs, List<Integer> hidden, Integer classes,
                               Boolean biasVectors, String firstLayerBias, String inputScaling, String output,
                               String activation) {
    }

    /**
     * How a regression's targets were scaled for training, per output: {@code (y − mean) / std}; the weights written
     * have it folded into the last layer already ({@code folded}), so predictions need no further step.
     */
    public record TargetScalingSpec(List<Double> mean, List<Double> std, String folded) {
    }

    /** The weight files, in flat-vector order, and the SHA-256 of the flat vector. */
    public record Weights(List<String> files, String dtype, String order, String sha256, String sha256Of) {
    }

    /** The loss: {@code seed} or {@code xent}, its reduction over rows and its formula. */
    public record LossSpec(String mode, String reduction, String formula) {
    }

    /** One input file: where it was, its size and its item count. */
    public record DataFile(String uri, Long bytes, Integer count) {
    }

    /** The model's epoch's figures (the last epoch's, or with early stopping the best one's). */
    public record Metrics(Integer epochs, Double trainLoss, Double trainAccuracy, Double testLoss,
                          Double testAccuracy, Double testRmse, Double testMae, Double testR2) {
    }

    /**
     * This manifest with the model's epoch {@code best} (when early stopping kept one, else 0: none recorded) and the
     * targets' {@code scaling} (null: none).
     */
    public ModelManifest trained(int best, io.shardprop.core.model.TargetScaling scaling) {
        TargetScalingSpec ts = scaling == null ? null : new TargetScalingSpec(
                java.util.Arrays.stream(scaling.mean()).boxed().toList(),
                java.util.Arrays.stream(scaling.std()).boxed().toList(),
                "into the last layer: W *= std, b = b * std + mean");
        return new ModelManifest(format, formatVersion, architecture, weights, loss, optimizer, options, engine,
                syncsPerEpoch, data, metrics, versions, created, best > 0 ? best : null, ts);
    }

    /** What wrote the file: ShardProp's and Java's versions and the driver's BLAS. */
    public record Versions(String shardprop, String java, Map<String, Object> blas) {
    }

    /**
     * Binds a parsed {@code model.json}.
     *
     * @param file its URI, which starts every message
     * @throws UsageException naming the key whose value has the wrong type
     */
    public static ModelManifest read(JsonNode json, String file) {
        if (json == null || !json.isObject()) {
            throw new UsageException(file + ": expected a JSON object");
        }
        try {
            return READER.readValue(json);
        } catch (JsonMappingException e) {
            String key = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw new UsageException(file + ": " + key + " has the wrong type: " + firstLine(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw new UsageException(file + ": " + firstLine(e.getMessage()));
        }
    }

    /**
     * The model this manifest describes.
     *
     * @param file its URI, which starts every message
     * @throws UsageException naming the key and the problem
     */
    public Mlp mlp(String file) {
        if (format != null && !FORMAT.equals(format)) {
            throw new UsageException(file + ": format is '" + format + "', expected '" + FORMAT + "'");
        }
        if (formatVersion != null && formatVersion < 1) {
            throw new UsageException(file + ": format_version must be a positive integer, got " + formatVersion);
        }
        if (formatVersion != null && formatVersion > ModelFiles.FORMAT_VERSION) {
            throw new UsageException(file + ": format_version " + formatVersion + " was written by a newer "
                    + "ShardProp (this one reads up to " + ModelFiles.FORMAT_VERSION + ")");
        }
        Architecture arch = architecture != null ? architecture
                : new Architecture(null, null, null, null, null, null, null, null, null);
        int inputs = positive(arch.inputs(), "inputs", file);
        int classes = positive(arch.classes(), "classes", file);
        if (arch.hidden() == null || arch.hidden().isEmpty()) {
            throw new UsageException(file + ": architecture.hidden must be a non-empty array of layer widths");
        }
        int[] hidden = new int[arch.hidden().size()];
        for (int i = 0; i < hidden.length; i++) {
            if (arch.hidden().get(i) == null) {
                throw new UsageException(file + ": architecture.hidden[" + i + "] is not an integer");
            }
            hidden[i] = arch.hidden().get(i);
        }
        String mode = loss == null || loss.mode() == null ? "" : loss.mode();
        Loss kind = switch (mode) {
            case "seed" -> Loss.SEED;
            case "xent" -> Loss.XENT;
            case "squared" -> Loss.SQUARED;
            case "huber" -> Loss.HUBER;
            default -> throw new UsageException(file + ": loss.mode is '" + mode
                    + "', expected seed, xent, squared or huber");
        };
        Activation activation = arch.activation() == null ? Activation.RELU : Activation.of(arch.activation());
        if (activation == null) {
            throw new UsageException(file + ": architecture.activation is '" + arch.activation()
                    + "', expected one of relu, leaky-relu, tanh, sigmoid, gelu");
        }
        Layout layout;
        try {
            layout = new Layout(inputs, hidden, classes, Boolean.TRUE.equals(arch.biasVectors()));
        } catch (IllegalArgumentException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
        if (weights != null && weights.files() != null && !weights.files().equals(List.of(layout.fileNames()))) {
            throw new UsageException(file + ": weights.files " + weights.files() + " do not match "
                    + layout.describe() + ", which needs " + List.of(layout.fileNames()));
        }
        return new Mlp(layout, kind, activation);
    }

    private static int positive(Integer n, String key, String file) {
        if (n == null || n < 1) {
            throw new UsageException(file + ": architecture." + key + " must be a positive integer, got "
                    + (n == null ? "nothing" : n.toString()));
        }
        return n;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
