package io.shardprop.job.output;

import io.shardprop.core.model.Layout;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.job.config.OptionValues;
import io.shardprop.job.config.TrainOption;
import io.shardprop.job.config.TrainOptions;
import io.shardprop.job.error.UsageException;
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

    /**
     * A checkpoint read back: the epoch it follows, the weights, the optimizer and the metrics so far;
     * {@code localSteps} as a checkpoint without a recipe describes them, else null.
     */
    public record Loaded(int epoch, String uri, double[] params, List<EpochMetrics> metrics, String localSteps) {
    }

    /**
     * {@code checkpoint.json}: the epoch, what must match to resume (layout, optimizer, the recipe's options by
     * name), the optimizer's step count and the SHA-256 of every file of the checkpoint. {@code local_steps} is
     * only read: checkpoints written before the recipe was recorded describe their local steps there.
     */
    record State(int epoch, String layout, String optimizer, long optimizerSteps, String localSteps,
                 Map<String, String> options, String randomState, Map<String, String> files) {
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

    /**
     * Writes the checkpoint after {@code epoch}; {@code options} are the options that shaped the weights
     * ({@code TrainConfig.recipe()}, by option name, local steps included), which a resumed run must repeat.
     */
    public void write(int epoch, Layout layout, double[] params, Optimizer optimizer, List<EpochMetrics> metrics,
                      Map<String, String> options) throws IOException {
        String name = String.format("epoch-%04d", epoch);
        String tmp = HadoopFs.child(root, "." + name + ".tmp");
        String done = HadoopFs.child(root, name);
        Map<String, byte[]> files = new LinkedHashMap<>(ModelFiles.encode(layout, params, optimizer.state()));
        files.put(RunOutput.METRICS, RunOutput.csv(metrics).getBytes(StandardCharsets.UTF_8));
        long bytes = files.values().stream().mapToLong(b -> b.length).sum();
        try {
            fs.deleteRecursively(tmp);
            fs.mkdirs(tmp);
            Map<String, String> sums = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                sums.put(f.getKey(), put(tmp, f.getKey(), f.getValue()));
            }
            State state = new State(epoch, layout.describe(), optimizer.id(), optimizer.steps(), null, options,
                    "none: the mini-batch order is derived from --seed and the epoch", sums);
            put(tmp, STATE, ModelFiles.RUN_JSON.writeValueAsBytes(state));
            fs.deleteRecursively(done);
            fs.rename(tmp, done);
        } catch (IOException | RuntimeException e) {
            // a failed checkpoint leaves nothing behind; the complete ones before it are untouched
            throw fs.abandoned(tmp, done, bytes, e);
        }
    }

    /** As {@link #latest(Layout, Optimizer, Map)}, for a run whose checkpoints record no options. */
    public Loaded latest(Layout layout, Optimizer optimizer) throws IOException {
        return latest(layout, optimizer, null);
    }

    /**
     * The newest complete checkpoint, its weights and metrics loaded and its optimizer state restored into
     * {@code optimizer}; null if there is none. Damaged ones (unreadable, a file that does not match its
     * SHA-256) are skipped with a warning naming them.
     *
     * @param options the options of the run that resumes ({@code TrainConfig.recipe()}), or null not to compare
     * @throws UsageException when the checkpoint was written with other options (listing every difference), or
     *                        (checkpoints that record no options) another layout or optimizer
     */
    public Loaded latest(Layout layout, Optimizer optimizer, Map<String, String> options) throws IOException {
        List<String> names = new ArrayList<>(fs.list(root).stream().filter(n -> n.matches("epoch-\\d{4,}")).toList());
        names.sort(java.util.Comparator.reverseOrder());
        for (String name : names) {
            String dir = HadoopFs.child(root, name);
            State state;
            try {
                state = ModelFiles.RUN_JSON.readValue(fs.readAll(HadoopFs.child(dir, STATE)), State.class);
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipping damaged checkpoint {}: {}", dir, e.getMessage());
                continue;
            }
            requireSameRun(dir, state, layout, optimizer, options);
            try {
                return load(dir, state, layout, optimizer);
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipping damaged checkpoint {}: {}", dir, e.getMessage());
            }
        }
        return null;
    }

    /**
     * The weights of the complete checkpoint after {@code epoch}, or null when there is none or it is damaged
     * ({@code scratch} takes its optimizer state).
     */
    public double[] paramsAt(int epoch, Layout layout, Optimizer scratch) {
        String dir = HadoopFs.child(root, String.format("epoch-%04d", epoch));
        try {
            State state = ModelFiles.RUN_JSON.readValue(fs.readAll(HadoopFs.child(dir, STATE)), State.class);
            return load(dir, state, layout, scratch).params();
        } catch (IOException | RuntimeException e) {
            LOG.debug("no usable checkpoint {}: {}", dir, e.getMessage());
            return null;
        }
    }

    /** The checkpoint's run must be this one: same options (but --epochs), or at least layout and optimizer. */
    private static void requireSameRun(String dir, State state, Layout layout, Optimizer optimizer,
                                       Map<String, String> options) {
        List<String> differences = new ArrayList<>();
        if (options != null && state.options() != null) {
            OptionValues then = recorded(state.options());
            java.util.Set<String> keys = new java.util.LinkedHashSet<>(state.options().keySet());
            keys.addAll(options.keySet());
            for (String key : keys) {
                String was = state.options().get(key);
                String now = options.get(key);
                if (!java.util.Objects.equals(was, now) && !(was == null && newSince(key, now, then))) {
                    differences.add("--" + key + " " + (now == null ? "(not used now)" : now) + " (the run: "
                            + (was == null ? "not used" : was) + ")");
                }
            }
        } else {
            if (!layout.describe().equals(state.layout())) {
                differences.add("layout " + layout.describe() + " (the run: " + state.layout() + ")");
            }
            if (!optimizer.id().equals(state.optimizer())) {
                differences.add("optimizer " + optimizer.id() + " (the run: " + state.optimizer() + ")");
            }
        }
        if (!differences.isEmpty()) {
            throw new UsageException("--resume: " + dir + " was written with other options: "
                    + String.join(", ", differences) + "; a resumed run must repeat them (only --epochs may grow)");
        }
    }

    /**
     * Whether the option {@code name}, which a checkpoint does not record, came after it: the checkpoint's run would
     * have recorded it ({@code then}, its recipe), so it trained with the option's declared default, which
     * {@code value} is. An option the checkpoint leaves out because its run did not use it is no such case.
     */
    private static boolean newSince(String name, String value, OptionValues then) {
        TrainOption<?> o = TrainOptions.named(name);
        return o != null && value != null && value.equals(o.type().formatAny(o.defaultValue())) && o.recordedIn(then);
    }

    /** A checkpoint's recipe as option values, the declared default for what it does not record or cannot be read. */
    private static OptionValues recorded(Map<String, String> recipe) {
        return OptionValues.from(o -> {
            String v = recipe.get(o.name());
            try {
                return v == null ? o.defaultValue() : o.type().parse(v);
            } catch (IllegalArgumentException e) {
                return o.defaultValue();
            }
        });
    }

    private Loaded load(String dir, State state, Layout layout, Optimizer optimizer) throws IOException {
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
        return new Loaded(state.epoch(), dir, params, metrics, state.options() != null ? null
                : state.localSteps() != null ? state.localSteps() : "none");
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
