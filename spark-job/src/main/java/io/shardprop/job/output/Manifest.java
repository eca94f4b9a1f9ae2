package io.shardprop.job.output;

import io.shardprop.core.linalg.Blas;
import io.shardprop.core.linalg.BlasInfo;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Loss;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.job.config.TrainConfig;
import io.shardprop.job.data.IdxFile;
import io.shardprop.job.data.MnistFiles;
import io.shardprop.job.io.BuildInfo;
import io.shardprop.job.model.ModelFiles;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The content of {@code model.json}: architecture, loss, optimizer, options, data, metrics, versions. */
public final class Manifest {

    private Manifest() {
    }

    public static Map<String, Object> of(TrainConfig cfg, Mlp model, MnistFiles files, EpochMetrics last,
                                         Optimizer optimizer, Map<String, Object> engine, double[] params) {
        Layout layout = model.layout();
        List<String> layers = new ArrayList<>();
        for (int l = 0; l < layout.layers(); l++) {
            layers.add("Matmul W" + (l + 1) + " [" + layout.in(l) + " x " + layout.out(l) + "]");
            if (layout.hasBias(l)) {
                layers.add("Bias b" + (l + 1) + " [" + layout.out(l) + "]");
            }
            if (l < layout.layers() - 1) {
                layers.add("Relu");
            }
        }
        layers.addAll(model.loss() == Loss.SEED ? List.of("Softmax", "Log") : List.of("LogSoftmax"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "shardprop-model");
        m.put("format_version", ModelFiles.FORMAT_VERSION);
        m.put("architecture", ordered("layers", layers, "inputs", layout.inputs(), "hidden", layout.hidden(),
                "classes", layout.classes(), "bias_vectors", layout.bias(),
                "first_layer_bias", "last input is a constant 1 (row " + (layout.inputs() - 1) + " of W1)",
                "input_scaling", "pixel / 255.0", "output", "log-probabilities"));
        m.put("weights", ordered("files", layout.fileNames(), "dtype", "float64", "order", "C",
                "sha256", Checkpoints.weightsSha256(params),
                "sha256_of", "all parameters as one little-endian float64 vector, in file order"));
        m.put("loss", ordered("mode", model.loss().id(), "reduction", model.loss().reduction(),
                "formula", model.loss() == Loss.SEED ? "-log(softmax(h)[y] + 1e-12)" : "-log_softmax(h)[y]"));
        Map<String, Object> opt = new LinkedHashMap<>(optimizer.settings());
        opt.put("steps", optimizer.steps());
        opt.put("state_files", optimizer.state().keySet().stream().sorted().map(ModelFiles::optimizerFile).toList());
        m.put("optimizer", opt);
        if (cfg.sync().enabled()) {
            // the optimizer above is then the outer one; every replica runs this one, reset every round
            m.put("inner_optimizer", cfg.inner().create(0).settings());
            m.put("local_steps", ordered("replicas", cfg.sync().replicas(), "syncs_per_epoch", cfg.sync().syncsPerEpoch(),
                    "outer", cfg.sync().outer().id(), "outer_lr", cfg.sync().outerLr(),
                    "outer_momentum", cfg.sync().outerMomentum(), "inner_state", "reset every round",
                    "shards", "block b belongs to replica b mod replicas",
                    "train_metrics", "forward passes of the local steps, at each replica's weights"));
        }
        m.put("options", ordered("epochs", cfg.optimization().epochs(), "lr", cfg.optimization().lr(),
                "lr_schedule", cfg.schedule(),
                "batch_size", cfg.optimization().batchSize(),
                "init", cfg.network().initWeights() != null ? "weights from " + cfg.network().initWeights() : cfg.network().init().id(),
                "seed", cfg.network().seed(), "block_size", cfg.effectiveBlockSize(), "precision", cfg.execution().precision().id()));
        m.put("engine", engine);
        Map<String, Object> data = new LinkedHashMap<>();
        for (IdxFile f : new IdxFile[]{files.trainImages(), files.trainLabels(), files.testImages(), files.testLabels()}) {
            data.put(f.name(), ordered("uri", f.uri(), "bytes", f.bytes(), "count", f.header().count()));
        }
        m.put("data", data);
        m.put("metrics", ordered("epochs", last.epoch(), "train_loss", last.trainLoss(),
                "train_accuracy", last.trainAccuracy(), "test_loss", last.testLoss(),
                "test_accuracy", last.testAccuracy()));
        m.put("versions", ordered("shardprop", BuildInfo.version(), "java", System.getProperty("java.version"),
                "blas", blas()));
        m.put("created", Instant.now().toString());
        return m;
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
