package io.shardprop.job.output;

import io.shardprop.core.model.Layout;
import io.shardprop.core.optim.Optimizer;
import io.shardprop.core.train.EpochMetrics;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.eval.Evaluation;
import io.shardprop.job.eval.EvaluationOutput;
import io.shardprop.job.eval.EvaluationReport;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.model.ModelFiles;
import io.shardprop.job.model.ModelManifest;
import io.shardprop.job.report.Plots;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code --out} folder of a run. Every file is written under a temporary name and renamed when
 * complete, so a reader never sees half a file; {@code _SUCCESS} marks a finished run.
 */
public final class RunOutput {

    public static final String METRICS = "metrics.csv";
    public static final String MODEL = "model";
    public static final String SUCCESS = "_SUCCESS";
    static final String HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds";

    private final HadoopFs fs;
    private final String dir;
    private final List<EpochMetrics> epochs = new ArrayList<>();

    private RunOutput(HadoopFs fs, String dir) {
        this.fs = fs;
        this.dir = dir;
    }

    /**
     * Checks {@code --out} before Spark starts: an existing path is an error unless {@code overwrite}.
     * Nothing is deleted or created yet.
     */
    public static RunOutput check(HadoopFs fs, String dir, boolean overwrite, boolean resume) {
        try {
            if (resume && overwrite) {
                throw new UsageException("--resume and --overwrite exclude each other");
            }
            if (resume && !fs.exists(dir)) {
                throw new UsageException("--resume: --out " + fs.qualify(dir) + " does not exist");
            }
            if (!resume && fs.exists(dir) && !overwrite) {
                throw new UsageException("--out: " + fs.qualify(dir) + " already exists; pass --overwrite to replace it"
                        + " or --resume to continue it");
            }
        } catch (IOException e) {
            throw new UsageException("--out: " + dir + ": " + e.getMessage());
        }
        return new RunOutput(fs, dir);
    }

    /**
     * Creates the folder; removes what was there unless resuming (only reached with {@code --overwrite} or
     * {@code --resume}).
     */
    public void create(boolean resume) throws IOException {
        if (!resume && fs.exists(dir)) {
            fs.deleteRecursively(dir);
        }
        fs.mkdirs(HadoopFs.child(dir, MODEL));
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
        String success = HadoopFs.child(dir, SUCCESS);
        if (fs.exists(success)) {
            fs.deleteRecursively(success);
        }
    }

    /** {@code metrics.csv} content: a header and one row per epoch. */
    static String csv(List<EpochMetrics> epochs) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (EpochMetrics e : epochs) {
            csv.append(e.epoch()).append(',').append(e.trainLoss()).append(',').append(e.trainAccuracy())
                    .append(',').append(e.testLoss()).append(',').append(e.testAccuracy()).append(',')
                    .append(e.seconds()).append('\n');
        }
        return csv.toString();
    }

    /** The rows of a {@link #csv} text. */
    static List<EpochMetrics> parseCsv(String text) throws IOException {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException("metrics.csv: unexpected header");
        }
        List<EpochMetrics> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            if (c.length != 6) {
                throw new IOException("metrics.csv: bad row '" + line + "'");
            }
            rows.add(new EpochMetrics(Integer.parseInt(c[0]), Double.parseDouble(c[1]), Double.parseDouble(c[2]),
                    Double.parseDouble(c[3]), Double.parseDouble(c[4]), Double.parseDouble(c[5])));
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
        ModelFiles.write(fs, HadoopFs.child(dir, MODEL), layout, params, optimizer.state(), manifest);
    }

    /** {@code curves.png}: loss and accuracy per epoch. */
    public void writeCurves() throws IOException {
        fs.writeAtomically(HadoopFs.child(dir, "curves.png"), out -> Plots.curves(epochs, out));
    }

    /** {@code confusion.png}, {@code confusion.csv} and {@code mistakes.png} of the final model on the test set. */
    public void writePictures(Evaluation e) throws IOException {
        fs.writeString(HadoopFs.child(dir, EvaluationOutput.CONFUSION_CSV), EvaluationReport.confusionCsv(e.confusion()));
        fs.writeAtomically(HadoopFs.child(dir, EvaluationOutput.CONFUSION_PNG), out -> Plots.confusion(e.confusion(), out));
        fs.writeAtomically(HadoopFs.child(dir, EvaluationOutput.MISTAKES_PNG),
                out -> Plots.mistakes(e.worst(), e.mistakes(), out));
    }

    /** Marks the run complete. */
    public void succeed() throws IOException {
        fs.writeString(HadoopFs.child(dir, SUCCESS), "");
    }
}
