package io.shardprop.job.eval;

import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.io.OutFolder;
import io.shardprop.job.model.ModelFiles;
import io.shardprop.job.report.Plots;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code evaluate}'s output folder: {@code evaluation.json}, {@code confusion.csv}, {@code confusion.png}
 * and {@code mistakes.png}, each written under a temporary name and renamed when complete.
 */
public final class EvaluationOutput {

    public static final String JSON = "evaluation.json";
    public static final String CONFUSION_CSV = "confusion.csv";
    public static final String CONFUSION_PNG = "confusion.png";
    public static final String MISTAKES_PNG = "mistakes.png";

    private final HadoopFs fs;
    private final String dir;

    private EvaluationOutput(HadoopFs fs, String dir) {
        this.fs = fs;
        this.dir = dir;
    }

    /**
     * Checks {@code dir} before Spark starts ({@link OutFolder#check}): an existing path is an error unless
     * {@code overwrite}, which replaces only an evaluation folder (one with {@code evaluation.json} or a marker).
     *
     * @throws UsageException naming {@code --out}
     */
    public static EvaluationOutput check(HadoopFs fs, String dir, boolean overwrite) {
        java.util.List<String> ours = new java.util.ArrayList<>(OutFolder.MARKERS);
        ours.add(JSON);
        return new EvaluationOutput(fs, OutFolder.check(fs, dir, overwrite, ours, "an evaluation folder"));
    }

    public String dir() {
        return dir;
    }

    /**
     * Writes the four files into the folder.
     *
     * @param context what was evaluated (model, data, versions), put first in {@code evaluation.json}
     */
    public void write(Evaluation e, Map<String, Object> context) throws IOException {
        fs.mkdirs(dir);  // the command made it (and replaced an earlier one) already, marked _RUNNING
        Map<String, Object> json = new LinkedHashMap<>(context);
        json.putAll(EvaluationReport.json(e));
        String text = ModelFiles.JSON.writeValueAsString(json);
        fs.writeString(HadoopFs.child(dir, JSON), text + "\n");
        if (e.regression()) {
            return;
        }
        fs.writeString(HadoopFs.child(dir, CONFUSION_CSV), EvaluationReport.confusionCsv(e.confusion()));
        fs.writeAtomically(HadoopFs.child(dir, CONFUSION_PNG), out -> Plots.confusion(e.confusion(), out));
        if (!e.worst().isEmpty()) {  // rows that are images
            fs.writeAtomically(HadoopFs.child(dir, MISTAKES_PNG), out -> Plots.mistakes(e.worst(), e.mistakes(), out));
        }
    }
}
