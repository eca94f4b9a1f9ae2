package io.shardprop.job.output;

import io.shardprop.core.linalg.Blas;
import io.shardprop.core.linalg.BlasInfo;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Activation;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.job.config.TrainConfig;
import io.shardprop.job.io.BuildInfo;
import io.shardprop.job.model.ModelFiles;
import io.shardprop.job.model.ModelManifest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The content of {@code model.json}: architecture, loss, optimizer, options, data, metrics, versions. */
public final class Manifest {

    private Manifest() {
    }

    /** How {@code model.json}'s layer list names each activation's layer. */
    private static final Map<Activation, String> LAYER_NAMES = Map.of(Activation.RELU, "Relu",
            Activation.LEAKY_RELU, "LeakyRelu", Activation.TANH, "Tanh", Activation.SIGMOID, "Sigmoid",
            Activation.GELU, "Gelu");

    /**
     * The manifest of a model trained on {@code data}, whose inputs are scaled as {@code inputScaling} says.
     * Test metrics that were not measured (NaN) are left out.
     *
     * @param syncs the training jobs of an epoch (syncs with the driver)
     */
    public static ModelManifest of(TrainConfig cfg, Mlp model, Map<String, ModelManifest.DataFile> data,
                                   String inputScaling, EpochMetrics last, Optimizer optimizer,
                                   Map<String, Object> engine, double[] params, int syncs) {
        Layout layout = model.layout();
        List<String> layers = new ArrayList<>();
        for (int l = 0; l < layout.layers(); l++) {
            layers.add("Matmul W" + (l + 1) + " [" + layout.in(l) + " x " + layout.out(l) + "]");
            if (layout.hasBias(l)) {
                layers.add("Bias b" + (l + 1) + " [" + layout.out(l) + "]");
            }
            if (l < layout.layers() - 1) {
                layers.add(LAYER_NAMES.get(model.activation()));
            }
        }
        if (!model.loss().regression()) {
            layers.addAll(model.loss() == Loss.SEED ? List.of("Softmax", "Log") : List.of("LogSoftmax"));
        }
        var architecture = new ModelManifest.Architecture(layers, layout.inputs(),
                Arrays.stream(layout.hidden()).boxed().toList(), layout.classes(), layout.bias(),
                "last input is a constant 1 (row " + (layout.inputs() - 1) + " of W1)", inputScaling,
                model.loss().regression() ? "values (linear)" : "log-probabilities", model.activation().id());
        var weights = new ModelManifest.Weights(List.of(layout.fileNames()), "float64", "C",
                Checkpoints.weightsSha256(params), "all parameters as one little-endian float64 vector, in file order");
        var loss = new ModelManifest.LossSpec(model.loss().id(), model.loss().reduction(),
                switch (model.loss()) {
                    case SEED -> "-log(softmax(h)[y] + 1e-12)";
                    case XENT -> "-log_softmax(h)[y]";
                    case SQUARED -> "0.5 * sum((h - y)^2)";
                    case HUBER -> "sum(huber(h - y, delta = 1))";
                });
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("name", optimizer.id());
        opt.put("steps", optimizer.steps());
        opt.put("state_files", optimizer.state().keySet().stream().sorted().map(ModelFiles::optimizerFile).toList());
        var metrics = new ModelManifest.Metrics(last.epoch(), last.trainLoss(), last.trainAccuracy(),
                measured(last.testLoss()), measured(last.testAccuracy()), measured(last.get("test_rmse")),
                measured(last.get("test_mae")), measured(last.get("test_r2")));
        var versions = new ModelManifest.Versions(BuildInfo.version(), System.getProperty("java.version"), blas());
        return new ModelManifest(ModelManifest.FORMAT, ModelFiles.FORMAT_VERSION, architecture, weights, loss, opt,
                cfg.described(), engine, syncs, data, metrics, versions, Instant.now().toString(), null, null);
    }

    private static Double measured(double x) {
        return Double.isNaN(x) ? null : x;
    }

    /** The driver's BLAS: netlib's class, the library, OpenBLAS's version and kernel. */
    static Map<String, Object> blas() {
        BlasInfo b = Blas.info();
        return ordered("implementation", b.implementation(), "source", b.source(), "library", b.library(),
                "openblas_version", b.openBlasVersion().orElse(null), "core", b.coreName(), "threads", b.threads());
    }

    /** A map that keeps the order of its {@code key, value, key, value, ...} arguments. */
    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
