package io.shardprop.job.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@link Evaluation} as text: the console table, {@code confusion.csv} and the body of {@code evaluation.json}. */
public final class EvaluationReport {

    private EvaluationReport() {
    }

    /**
     * Overall loss and accuracy, then precision, recall, F1 and support per class with macro and weighted
     * averages, then the confusion matrix (rows true labels, columns predicted).
     */
    public static String table(Evaluation e) {
        StringBuilder s = new StringBuilder();
        if (e.regression()) {
            return String.format(Locale.ROOT, "loss %.6g  RMSE %.6g  MAE %.6g  R² %.6f  (%d rows)%n", e.stats().loss(),
                    e.fit().rmse(), e.fit().mae(), e.fit().r2(), e.stats().count());
        }
        s.append(String.format(Locale.ROOT, "loss %.4f  accuracy %.4f  (%d of %d correct)%n%n", e.stats().loss(),
                e.stats().accuracy(), e.stats().correct(), e.stats().count()));
        s.append(String.format(Locale.ROOT, "%-8s %9s %9s %9s %9s%n", "class", "precision", "recall", "f1", "support"));
        List<ClassMetrics> classes = e.perClass();
        for (ClassMetrics m : classes) {
            s.append(row(String.valueOf(m.label()), m));
        }
        s.append(row("macro", ClassMetrics.macro(classes)));
        s.append(row("weighted", ClassMetrics.weighted(classes)));

        long[][] c = e.confusion();
        int width = 5;
        for (long[] r : c) {
            for (long v : r) {
                width = Math.max(width, String.valueOf(v).length() + 1);
            }
        }
        s.append(String.format("%nconfusion matrix (rows: true label, columns: predicted label)%n"));
        s.append(String.format("%6s", "true"));
        for (int p = 0; p < c.length; p++) {
            s.append(String.format("%" + width + "d", p));
        }
        s.append(System.lineSeparator());
        for (int t = 0; t < c.length; t++) {
            s.append(String.format("%6d", t));
            for (long v : c[t]) {
                s.append(String.format("%" + width + "d", v));
            }
            s.append(System.lineSeparator());
        }
        return s.toString();
    }

    /** {@code true,pred_0,…,pred_{k−1}} then one line per true label: {@code t,c[t][0],…}. */
    public static String confusionCsv(long[][] c) {
        StringBuilder s = new StringBuilder("true");
        for (int p = 0; p < c.length; p++) {
            s.append(",pred_").append(p);
        }
        s.append('\n');
        for (int t = 0; t < c.length; t++) {
            s.append(t);
            for (long v : c[t]) {
                s.append(',').append(v);
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** The figures as ordered JSON-ready maps: loss, accuracy, counts, per-class metrics, averages, confusion. */
    public static Map<String, Object> json(Evaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (e.regression()) {
            m.put("loss", e.stats().loss());
            m.put("rmse", e.fit().rmse());
            m.put("mae", e.fit().mae());
            m.put("r2", e.fit().r2());
            m.put("count", e.stats().count());
            return m;
        }
        m.put("loss", e.stats().loss());
        m.put("accuracy", e.stats().accuracy());
        m.put("correct", e.stats().correct());
        m.put("count", e.stats().count());
        List<Map<String, Object>> classes = new ArrayList<>();
        List<ClassMetrics> per = e.perClass();
        for (ClassMetrics c : per) {
            classes.add(metrics(c));
        }
        m.put("per_class", classes);
        m.put("macro_avg", metrics(ClassMetrics.macro(per)));
        m.put("weighted_avg", metrics(ClassMetrics.weighted(per)));
        Map<String, Object> confusion = new LinkedHashMap<>();
        confusion.put("rows", "true label");
        confusion.put("columns", "predicted label");
        confusion.put("counts", e.confusion());
        m.put("confusion", confusion);
        return m;
    }

    private static Map<String, Object> metrics(ClassMetrics c) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (c.label() >= 0) {
            m.put("class", c.label());
        }
        m.put("precision", c.precision());
        m.put("recall", c.recall());
        m.put("f1", c.f1());
        m.put("support", c.support());
        return m;
    }

    private static String row(String name, ClassMetrics m) {
        return String.format(Locale.ROOT, "%-8s %9.4f %9.4f %9.4f %9d%n", name, m.precision(), m.recall(), m.f1(),
                m.support());
    }
}
