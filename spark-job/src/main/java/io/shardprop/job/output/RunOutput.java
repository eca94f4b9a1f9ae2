package io.shardprop.job.output;

import io.shardprop.core.model.Layout;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.eval.Evaluation;
import io.shardprop.job.eval.EvaluationOutput;
import io.shardprop.job.eval.EvaluationReport;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.io.OutFolder;
import io.shardprop.job.io.OutClaim;
import io.shardprop.job.model.ModelFiles;
import io.shardprop.job.model.ModelManifest;
import io.shardprop.job.report.Plots;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code --out} folder of a run. Every file is written under a temporary name and renamed when
 * complete, so a reader never sees half a file. One marker says what state the run is in: {@code _RUNNING}
 * while it trains, {@code _SUCCESS} when it finished, {@code _FAILED} (the one-line reason, then the stack
 * trace) when it stopped on an error, keeping what it had finished (metrics so far, checkpoints). The
 * {@code model/} folder appears only complete, renamed from a temporary folder at the end.
 */
public final class RunOutput {

    public static final String METRICS = "metrics.csv";
    public static final String MODEL = "model";
    public static final String SUCCESS = "_SUCCESS";
    public static final String RUNNING = "_RUNNING";
    public static final String FAILED = "_FAILED";
    static final String HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds";

    private final HadoopFs fs;
    private final String dir;
    private final List<EpochMetrics> epochs = new ArrayList<>();

    private RunOutput(HadoopFs fs, String dir) {
        this.fs = fs;
        this.dir = dir;
    }

    /**
     * Checks {@code --out} before Spark starts: an existing path is an error unless {@code overwrite} (and it
     * is a run folder ShardProp wrote) or {@code resume}; the folder, or the nearest folder above it that
     * exists, must be writable (tried with a probe that is removed at once). Nothing else is created or
     * deleted yet.
     */
    public static RunOutput check(HadoopFs fs, String dir, boolean overwrite, boolean resume) {
        try {
            if (resume && overwrite) {
                throw new UsageException("--resume and --overwrite exclude each other");
            }
            String q = fs.qualify(dir);
            boolean exists = fs.exists(dir);
            if (resume && !exists) {
                throw new UsageException("--resume: --out " + q + " does not exist");
            }
            if (exists && !fs.isDirectory(dir)) {
                throw new UsageException("--out: " + q + " is a file, not a folder");
            }
            java.util.Optional<OutClaim.Found> claim = OutClaim.find(fs, dir);
            if (claim.isPresent() && !claim.get().stale()) {
                throw new UsageException("--out: " + q + " is in use by " + claim.get().describe()
                        + ": wait for it to finish, or choose another --out");
            }
            if (!resume && exists && !overwrite) {
                throw new UsageException("--out: " + q + " already exists: " + state(fs, dir, claim.orElse(null))
                        + "; pass --resume to continue it or --overwrite to replace it");
            }
            if (overwrite && exists && !isRunFolder(fs, dir) && !fs.list(dir).isEmpty()) {
                throw new UsageException("--overwrite: " + q + " is not a run folder of ShardProp (it has none of "
                        + String.join(", ", RUNNING, SUCCESS, FAILED, MODEL + "/" + ModelFiles.MANIFEST,
                        "checkpoints/") + "); not deleting it: choose another --out");
            }
            OutFolder.probeWritable(fs, exists ? dir : OutFolder.nearestExisting(fs, dir), "--out: " + q);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UsageException("--out: " + dir + ": " + e.getMessage());
        }
        return new RunOutput(fs, dir);
    }

    /**
     * What an existing run folder holds, for messages: a finished run, a failed one (its reason), a run that
     * crashed (a {@code _RUNNING} whose owner is gone: {@code claim}, stale, or none), with its newest checkpoint.
     */
    static String state(HadoopFs fs, String dir, OutClaim.Found claim) throws IOException {
        List<String> names = fs.list(dir);
        List<String> checkpoints = fs.list(HadoopFs.child(dir, "checkpoints")).stream()
                .filter(n -> n.matches("epoch-\\d{4,}")).sorted().toList();
        String newest = checkpoints.isEmpty() ? "no checkpoint" : "newest checkpoint "
                + checkpoints.get(checkpoints.size() - 1);
        if (names.contains(SUCCESS)) {
            return "a finished run (" + SUCCESS + ")";
        }
        if (names.contains(FAILED)) {
            String reason = new String(fs.readAll(HadoopFs.child(dir, FAILED)), java.nio.charset.StandardCharsets.UTF_8)
                    .lines().findFirst().orElse("");
            return "a run that failed (" + FAILED + ": " + reason + "; " + newest + ")";
        }
        if (names.contains(RUNNING)) {
            return "a run that crashed (" + RUNNING + ", " + (claim == null ? "no owner's claim"
                    : "its owner " + claim.describe()) + "; " + newest + ")";
        }
        return names.isEmpty() ? "an empty folder" : "a folder of " + names.size() + " entries, no run marker";
    }

    /**
     * Claims the run folder for this command until {@link OutClaim#close()} (a stale claim is taken over with
     * {@code --overwrite} or {@code --resume}, or when its owner left no folder).
     */
    public OutClaim claim(boolean overwrite, boolean resume) throws IOException {
        return OutClaim.acquire(fs, dir, "train", overwrite || resume || !fs.exists(dir), "--out");
    }

    /** Whether {@code dir} holds a run of ShardProp: a marker, a model folder or checkpoints. */
    static boolean isRunFolder(HadoopFs fs, String dir) throws IOException {
        List<String> names = fs.list(dir);
        return names.contains(RUNNING) || names.contains(SUCCESS) || names.contains(FAILED)
                || fs.isFile(HadoopFs.child(HadoopFs.child(dir, MODEL), ModelFiles.MANIFEST))
                || names.contains("checkpoints");
    }

    /**
     * Creates the folder and marks it {@code _RUNNING}; removes what was there unless resuming (only reached with
     * {@code --overwrite} of a run folder, or {@code --resume}). The folder has one marker at every instant: a new
     * one is made under a hidden name with its {@code _RUNNING} and renamed into place; a resumed one's
     * {@code _FAILED} (or {@code _SUCCESS}) is renamed to {@code _RUNNING}, then rewritten.
     */
    public void create(boolean resume) throws IOException {
        String running = HadoopFs.child(dir, RUNNING);
        String since = "training since " + java.time.Instant.now() + "\n";
        if (!resume) {
            if (fs.exists(dir)) {
                fs.deleteRecursively(dir);
            }
            createRunning(fs, dir, since);
            return;
        }
        for (String marker : new String[]{SUCCESS, FAILED}) {
            String m = HadoopFs.child(dir, marker);
            if (fs.exists(m)) {
                if (fs.exists(running)) {
                    fs.deleteRecursively(m);
                } else {
                    fs.rename(m, running);
                }
            }
        }
        fs.writeString(running, since);
    }

    /**
     * Makes {@code dir} (absent) with its {@code _RUNNING} marker ({@code content}) in one step: built under a hidden
     * name beside it, then renamed into place, so that no instant shows the folder without a marker.
     */
    static void createRunning(HadoopFs fs, String dir, String content) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
        String tmp = new org.apache.hadoop.fs.Path(p.getParent(), "." + p.getName() + ".tmp").toString();
        fs.deleteRecursively(tmp);
        fs.mkdirs(tmp);
        fs.writeString(HadoopFs.child(tmp, RUNNING), content);
        fs.rename(tmp, dir);
    }

    /**
     * Marks the run failed: {@code _FAILED} holds {@code message} and the stack trace; what was finished
     * (metrics, checkpoints) stays. Never throws: it only adds to a failure already on its way.
     */
    public void fail(String message, Throwable cause) {
        markFailed(fs, dir, List.of("." + MODEL + ".tmp"), message, cause);
    }

    /**
     * Marks {@code dir} failed: removes {@code partial} (first: it may free the space {@code _FAILED} needs), writes
     * {@code _FAILED} ({@code message}, then the stack trace), and only then removes {@code _RUNNING}, so that the
     * folder never has no marker. Never throws: a failure is added to {@code cause}.
     */
    static void markFailed(HadoopFs fs, String dir, List<String> partial, String message, Throwable cause) {
        try {
            for (String name : partial) {
                fs.deleteRecursively(HadoopFs.child(dir, name));
            }
            java.io.StringWriter trace = new java.io.StringWriter();
            cause.printStackTrace(new java.io.PrintWriter(trace));
            fs.writeString(HadoopFs.child(dir, FAILED), message + "\n\n" + trace);
            fs.deleteRecursively(HadoopFs.child(dir, RUNNING));
        } catch (IOException | RuntimeException | org.apache.hadoop.fs.FSError e) {
            cause.addSuppressed(e);
        }
    }

    public HadoopFs fs() {
        return fs;
    }

    public String dir() {
        return dir;
    }

    public List<EpochMetrics> epochs() {
        return epochs;
    }

    /** Appends an epoch and rewrites {@code metrics.csv}. */
    public void addEpoch(EpochMetrics m) throws IOException {
        epochs.add(m);
        fs.writeString(HadoopFs.child(dir, METRICS), csv(epochs));
    }

    /** Continues a run from a checkpoint's metrics. */
    public void resume(List<EpochMetrics> soFar) throws IOException {
        epochs.clear();
        epochs.addAll(soFar);
        fs.writeString(HadoopFs.child(dir, METRICS), csv(epochs));
    }

    /**
     * {@code metrics.csv} content: a header and one row per epoch; after {@link #HEADER}'s columns, those of the rows'
     * {@link EpochMetrics#more} (a regression's {@code test_rmse}, {@code test_mae}, {@code test_r2}; the validation
     * set's {@code val_*}; {@code best_epoch}), in the order they first appear, empty where a row has none.
     */
    static String csv(List<EpochMetrics> epochs) {
        java.util.LinkedHashSet<String> more = new java.util.LinkedHashSet<>();
        epochs.forEach(e -> more.addAll(e.more().keySet()));
        StringBuilder csv = new StringBuilder(HEADER);
        more.forEach(c -> csv.append(',').append(c));
        csv.append('\n');
        for (EpochMetrics e : epochs) {
            csv.append(e.epoch()).append(',').append(e.trainLoss()).append(',').append(e.trainAccuracy())
                    .append(',').append(e.testLoss()).append(',').append(e.testAccuracy()).append(',')
                    .append(e.seconds());
            for (String c : more) {
                Double v = e.more().get(c);
                csv.append(',').append(v == null ? "" : c.equals("best_epoch") ? String.valueOf(v.intValue()) : v);
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    /** The rows of a {@link #csv} text. */
    static List<EpochMetrics> parseCsv(String text) throws IOException {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.get(0).startsWith(HEADER)) {
            throw new IOException("metrics.csv: unexpected header");
        }
        String[] names = lines.get(0).split(",", -1);
        List<EpochMetrics> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            if (c.length != names.length) {
                throw new IOException("metrics.csv: bad row '" + line + "'");
            }
            java.util.Map<String, Double> more = new java.util.LinkedHashMap<>();
            for (int i = 6; i < c.length; i++) {
                if (!c[i].isEmpty()) {
                    more.put(names[i], Double.parseDouble(c[i]));
                }
            }
            try {
                rows.add(new EpochMetrics(Integer.parseInt(c[0]), Double.parseDouble(c[1]), Double.parseDouble(c[2]),
                        Double.parseDouble(c[3]), Double.parseDouble(c[4]), Double.parseDouble(c[5]), more));
            } catch (NumberFormatException e) {
                throw new IOException("metrics.csv: bad row '" + line + "'");
            }
        }
        return rows;
    }

    /**
     * {@code model/W1.npy}, {@code model/W2.npy}, … (float64, C order; biases 1-D), the optimizer's state
     * ({@code model/optimizer-m.npy}, … in the parameters' flat order, its step count in the manifest) and
     * {@code model/model.json}.
     */
    public void writeModel(Layout layout, double[] params, Optimizer optimizer, ModelManifest manifest)
            throws IOException {
        String tmp = HadoopFs.child(dir, "." + MODEL + ".tmp");
        String model = HadoopFs.child(dir, MODEL);
        try {
            fs.deleteRecursively(tmp);
            ModelFiles.write(fs, tmp, layout, params, optimizer.state(), manifest);
        } catch (IOException | RuntimeException e) {
            throw fs.abandoned(tmp, model, ModelFiles.encode(layout, params, optimizer.state()).values().stream()
                    .mapToLong(b -> b.length).sum(), e);
        }
        fs.deleteRecursively(model);  // a resumed run's earlier model (its checkpoints stay)
        fs.rename(tmp, model);
    }

    /** {@code curves.png}: loss and accuracy per epoch. */
    public void writeCurves() throws IOException {
        fs.writeAtomically(HadoopFs.child(dir, "curves.png"), out -> Plots.curves(epochs, out));
    }

    /** {@code confusion.png}, {@code confusion.csv} and {@code mistakes.png} of the final model on the test set. */
    public void writePictures(Evaluation e) throws IOException {
        fs.writeString(HadoopFs.child(dir, EvaluationOutput.CONFUSION_CSV), EvaluationReport.confusionCsv(e.confusion()));
        fs.writeAtomically(HadoopFs.child(dir, EvaluationOutput.CONFUSION_PNG), out -> Plots.confusion(e.confusion(), out));
        if (!e.worst().isEmpty()) {  // rows that are images
            fs.writeAtomically(HadoopFs.child(dir, EvaluationOutput.MISTAKES_PNG),
                    out -> Plots.mistakes(e.worst(), e.mistakes(), out));
        }
    }

    /** Marks the run complete. */
    public void succeed() throws IOException {
        fs.writeString(HadoopFs.child(dir, SUCCESS), "");
        fs.deleteRecursively(HadoopFs.child(dir, RUNNING));
    }
}
