package io.shardprop.job.output;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.shardprop.core.model.Layout;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.model.ModelFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code OUT/checkpoints/epoch-NNNN/}: everything needed to continue a run after epoch NNNN with the same
 * bits as if it had not stopped: the weights, the optimizer's state arrays and step count, and the metrics
 * so far (the mini-batch order is a function of the seed and the epoch, so there is no other random state).
 * A checkpoint is written under a temporary name and renamed when complete; its {@code checkpoint.json},
 * written last, lists the SHA-256 of every file, and a checkpoint whose files do not match is skipped with a
 * warning (on object stores, where a rename is a copy, the checksums are what makes it trustworthy).
 */
public final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final String DIR = "checkpoints";
    private static final String STATE = "checkpoint.json";

    /** A checkpoint read back: the epoch it follows, the weights, the optimizer and the metrics so far. */
    public record Loaded(int epoch, String uri, double[] params, List<EpochMetrics> metrics, String localSteps) {
    }

    /**
     * {@code checkpoint.json}: the epoch, what must match to resume (layout, optimizer, local steps), the
     * optimizer's step count and the SHA-256 of every file of the checkpoint.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record State(int epoch, String layout, String optimizer, long optimizerSteps, String localSteps,
                 String randomState, Map<String, String> files) {
        State {
            files = files == null ? Map.of() : files;
        }
    }

    private final HadoopFs fs;
    private final String root;

    public Checkpoints(HadoopFs fs, String outDir) {
        this.fs = fs;
        this.root = HadoopFs.child(outDir, DIR);
    }

    /** Writes the checkpoint after {@code epoch}. */
    public void write(int epoch, Layout layout, double[] params, Optimizer optimizer, List<EpochMetrics> metrics)
            throws IOException {
        write(epoch, layout, params, optimizer, metrics, "none");
    }

    /**
     * Writes the checkpoint after {@code epoch}; {@code localSteps} describes the replicas and syncs the run
     * uses ("none" without local steps), which a resumed run must use too.
     */
    public void write(int epoch, Layout layout, double[] params, Optimizer optimizer, List<EpochMetrics> metrics,
                      String localSteps) throws IOException {
        String name = String.format("epoch-%04d", epoch);
        String tmp = HadoopFs.child(root, "." + name + ".tmp");
        String done = HadoopFs.child(root, name);
        fs.deleteRecursively(tmp);
        fs.mkdirs(tmp);
        Map<String, String> sums = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : ModelFiles.encode(layout, params, optimizer.state()).entrySet()) {
            sums.put(f.getKey(), put(tmp, f.getKey(), f.getValue()));
        }
        sums.put(RunOutput.METRICS, put(tmp, RunOutput.METRICS, RunOutput.csv(metrics).getBytes(StandardCharsets.UTF_8)));
        State state = new State(epoch, layout.describe(), optimizer.id(), optimizer.steps(), localSteps,
                "none: the mini-batch order is derived from --seed and the epoch", sums);
        put(tmp, STATE, ModelFiles.JSON.writeValueAsBytes(state));
        fs.deleteRecursively(done);
        fs.rename(tmp, done);
    }

    /**
     * The newest complete checkpoint, its weights and metrics loaded and its optimizer state restored into
     * {@code optimizer}; null if there is none. Damaged ones are skipped with a warning naming them.
     */
    public Loaded latest(Layout layout, Optimizer optimizer) throws IOException {
        List<String> names = new ArrayList<>(fs.list(root).stream().filter(n -> n.matches("epoch-\\d{4,}")).toList());
        names.sort(java.util.Comparator.reverseOrder());
        for (String name : names) {
            String dir = HadoopFs.child(root, name);
            try {
                return load(dir, layout, optimizer);
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipping damaged checkpoint {}: {}", dir, e.getMessage());
            }
        }
        return null;
    }

    private Loaded load(String dir, Layout layout, Optimizer optimizer) throws IOException {
        State state = ModelFiles.JSON.readValue(fs.readAll(HadoopFs.child(dir, STATE)), State.class);
        if (!layout.describe().equals(state.layout())) {
            throw new IOException("layout " + state.layout() + " is not " + layout.describe());
        }
        if (!optimizer.id().equals(state.optimizer())) {
            throw new IOException("optimizer " + state.optimizer() + " is not " + optimizer.id());
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : state.files().entrySet()) {
            byte[] bytes = fs.readAll(HadoopFs.child(dir, e.getKey()));
            if (!sha256(bytes).equals(e.getValue())) {
                throw new IOException(e.getKey() + " does not match its SHA-256 (truncated or changed)");
            }
            files.put(e.getKey(), bytes);
        }
        ModelFiles.Source checked = name -> {
            byte[] bytes = files.get(name);
            if (bytes == null) {
                throw new IOException(name + " is missing");
            }
            return bytes;
        };
        double[] params = ModelFiles.decodeWeights(layout, checked, dir);
        ModelFiles.decodeOptimizer(optimizer.state(), checked, dir);
        optimizer.setSteps(state.optimizerSteps());
        List<EpochMetrics> metrics = RunOutput.parseCsv(new String(files.get(RunOutput.METRICS), StandardCharsets.UTF_8));
        return new Loaded(state.epoch(), dir, params, metrics, state.localSteps() != null ? state.localSteps() : "none");
    }

    private String put(String dir, String name, byte[] bytes) throws IOException {
        fs.writeAtomically(HadoopFs.child(dir, name), out -> out.write(bytes));
        return sha256(bytes);
    }

    /** Hex SHA-256. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of the flat parameter vector as little-endian float64, in layout order (what model.json records). */
    public static String weightsSha256(double[] params) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(params.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(params);
        return sha256(b.array());
    }
}
