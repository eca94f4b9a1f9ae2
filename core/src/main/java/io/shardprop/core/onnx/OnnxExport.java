package io.shardprop.core.onnx;

import io.shardprop.core.layer.Gelu;
import io.shardprop.core.layer.LeakyRelu;
import io.shardprop.core.layer.Softmax;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.onnx.OnnxGraph.ElementType;

import java.util.List;
import java.util.Map;

/**
 * A trained MLP as an ONNX graph, the forward pass that {@code predict} runs:
 * <ul>
 *   <li>input {@code features [N x d]} ({@code d = inputs − 1}: the model's features without its ones column; for an
 *       MNIST model {@code pixel / 255}), or with {@link Options#pixels} input {@code pixels [N x d]} (0–255) and a
 *       {@code Div} by 255 in front, as training scales an IDX image;</li>
 *   <li>each layer a {@code Gemm} ({@code a · W + b}): the first layer's ones-column row of {@code W1} becomes its bias
 *       vector {@code b1}; later layers take their bias vectors, or a {@code MatMul} when they have none;</li>
 *   <li>the activation: {@code Relu}, {@code LeakyRelu} (α 0.01; in float64 {@code Max(v, 0.01 · v)}, the same
 *       function, since the attribute α is a float32), {@code Tanh}, {@code Sigmoid}, or GELU's tanh form
 *       from {@code Mul}/{@code Add}/{@code Tanh} in the order the layer computes it (opset 17 has no
 *       {@code Gelu});</li>
 *   <li>outputs: a classifier's {@code probabilities [N x classes]} ({@code Softmax}; the notebook's {@code seed} loss
 *       as its own softmax, {@code exp(h − max) / (Σ exp(h − max) + 1e-12)}, from {@code ReduceMax}, {@code Exp},
 *       {@code ReduceSum} and {@code Div}, so its probabilities are the model's, the ε included) and
 *       {@code label [N]} (int64, {@code ArgMax} of the last layer: its first maximum, as {@code predict}); a
 *       regression's {@code prediction [N x outputs]} (targets' scaling is already folded into the weights).</li>
 * </ul>
 * Float32 (what serving runtimes run fastest) or float64 (ONNX Runtime has float64 kernels for all these operators),
 * IR {@value OnnxGraph#IR_VERSION}, opset {@value OnnxGraph#OPSET}.
 */
public final class OnnxExport {

    /** Names of the graph's inputs and outputs. */
    public static final String FEATURES = "features", PIXELS = "pixels", PROBABILITIES = "probabilities",
            LABEL = "label", PREDICTION = "prediction";
    /** The symbolic batch dimension. */
    public static final String BATCH = "N";

    /**
     * @param type   float32 or float64 weights and arithmetic
     * @param pixels take raw pixels (0–255) and divide them by 255 first, as training scales IDX images
     */
    public record Options(ElementType type, boolean pixels) {
        public Options {
            if (type == ElementType.INT64) {
                throw new IllegalArgumentException("ONNX export: float32 or float64, not int64");
            }
        }
    }

    private OnnxExport() {
    }

    /**
     * The ONNX model of {@code model} at {@code params}.
     *
     * @param metadata written as the model's {@code metadata_props} (e.g. the run's loss, input scaling, version)
     */
    public static byte[] export(Mlp model, double[] params, Options options, String producerVersion,
                                Map<String, String> metadata) {
        Layout layout = model.layout();
        if (params.length != layout.paramCount()) {
            throw new IllegalArgumentException("ONNX export: " + params.length + " parameters, layout "
                    + layout.describe() + " needs " + layout.paramCount());
        }
        OnnxGraph g = new OnnxGraph("shardprop_mlp", options.type());
        int d = layout.inputs() - 1;
        String a;
        if (options.pixels()) {
            g.input(PIXELS, BATCH, d);
            a = g.node("Div", List.of(PIXELS, g.constant(255.0)), FEATURES);
        } else {
            g.input(FEATURES, BATCH, d);
            a = FEATURES;
        }
        for (int l = 0; l < layout.layers(); l++) {
            boolean last = l == layout.layers() - 1;
            String h = last && model.loss().regression() ? PREDICTION : "h" + (l + 1);
            int in = layout.in(l);
            int out = layout.out(l);
            int off = layout.offset(l);
            if (l == 0) {
                String w = g.weights("W1", params, off, d, out);
                String b = g.weights("b1", params, off + d * out, out);  // W1's last row: the ones column's
                g.node("Gemm", List.of(a, w, b), h);
            } else {
                String w = g.weights("W" + (l + 1), params, off, in, out);
                if (layout.hasBias(l)) {
                    g.node("Gemm", List.of(a, w, g.weights("b" + (l + 1), params, off + in * out, out)), h);
                } else {
                    g.node("MatMul", List.of(a, w), h);
                }
            }
            a = last ? h : activation(g, model, h, "a" + (l + 1));
        }
        if (model.loss().regression()) {
            g.output(PREDICTION, options.type(), BATCH, layout.classes());
        } else {
            if (model.loss() == Loss.SEED) {
                seedSoftmax(g, a);
            } else {
                g.node("Softmax", List.of(a), PROBABILITIES, "axis", 1L);
            }
            g.node("ArgMax", List.of(a), LABEL, "axis", 1L, "keepdims", 0L, "select_last_index", 0L);
            g.output(PROBABILITIES, options.type(), BATCH, layout.classes());
            g.output(LABEL, ElementType.INT64, BATCH);
        }
        String doc = "ShardProp MLP " + layout.describe() + ", " + model.activation().id()
                + " hidden layers, " + model.loss().id() + " loss, "
                + options.type().label + "; input " + (options.pixels() ? PIXELS + " (0-255, divided by 255)"
                : FEATURES) + " [N x " + d + "]";
        return g.model("ShardProp", producerVersion, doc, metadata);
    }

    /** The hidden activation of {@code h} as ONNX nodes; returns the output's name. */
    private static String activation(OnnxGraph g, Mlp model, String h, String out) {
        return switch (model.activation()) {
            case RELU -> g.node("Relu", List.of(h), out);
            // LeakyRelu's alpha is a float attribute (0.01f): in float64, max(v, 0.01 · v) keeps the double slope
            case LEAKY_RELU -> g.type() == ElementType.FLOAT
                    ? g.node("LeakyRelu", List.of(h), out, "alpha", LeakyRelu.SLOPE)
                    : g.node("Max", List.of(h, g.node("Mul", List.of(g.constant(LeakyRelu.SLOPE), h), g.fresh("leak"))), out);
            case TANH -> g.node("Tanh", List.of(h), out);
            case SIGMOID -> g.node("Sigmoid", List.of(h), out);
            case GELU -> {
                // 0.5 · v · (1 + tanh(√(2/π) · (v + 0.044715 · v · v · v))), left to right as Gelu.forward
                String c = g.node("Mul", List.of(g.constant(Gelu.CUBIC), h), g.fresh("gelu"));
                c = g.node("Mul", List.of(c, h), g.fresh("gelu"));
                c = g.node("Mul", List.of(c, h), g.fresh("gelu"));
                String u = g.node("Add", List.of(h, c), g.fresh("gelu"));
                u = g.node("Mul", List.of(g.constant(Gelu.ROOT_2_OVER_PI), u), g.fresh("gelu"));
                String t = g.node("Tanh", List.of(u), g.fresh("gelu"));
                t = g.node("Add", List.of(g.constant(1.0), t), g.fresh("gelu"));
                String half = g.node("Mul", List.of(g.constant(0.5), h), g.fresh("gelu"));
                yield g.node("Mul", List.of(half, t), out);
            }
        };
    }

    /** The notebook's softmax, ε in the denominator ({@link Softmax#forward}), into {@link #PROBABILITIES}. */
    private static void seedSoftmax(OnnxGraph g, String h) {
        String max = g.node("ReduceMax", List.of(h), g.fresh("max"), "axes", new long[]{1}, "keepdims", 1L);
        String e = g.node("Exp", List.of(g.node("Sub", List.of(h, max), g.fresh("shifted"))), g.fresh("exp"));
        String sum = g.node("ReduceSum", List.of(e, g.int64s(1)), g.fresh("sum"), "keepdims", 1L);
        String denominator = g.node("Add", List.of(sum, g.constant(Softmax.EPS)), g.fresh("denominator"));
        String inv = g.node("Reciprocal", List.of(denominator), g.fresh("inverse"));
        g.node("Mul", List.of(e, inv), PROBABILITIES);
    }
}
