package io.shardprop.job.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Precision, recall and F1 of one class from a confusion matrix {@code c[true][predicted]}:
 * {@code precision = c[j][j] / Σ_t c[t][j]}, {@code recall = c[j][j] / Σ_p c[j][p]},
 * {@code f1 = 2·precision·recall / (precision + recall)}; a ratio with a zero denominator is 0 (as
 * scikit-learn's {@code zero_division=0}). {@code support} is the number of samples whose true label is
 * {@code label}. For the averages {@code label} is -1.
 */
public record ClassMetrics(int label, double precision, double recall, double f1, long support) {

    /** One entry per class, in label order. */
    public static List<ClassMetrics> perClass(long[][] c) {
        int k = c.length;
        List<ClassMetrics> out = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            long predicted = 0, actual = 0;
            for (int t = 0; t < k; t++) {
                predicted += c[t][j];
                actual += c[j][t];
            }
            double precision = ratio(c[j][j], predicted);
            double recall = ratio(c[j][j], actual);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            out.add(new ClassMetrics(j, precision, recall, f1, actual));
        }
        return out;
    }

    /** The unweighted mean over classes (macro average); support is the total. */
    public static ClassMetrics macro(List<ClassMetrics> classes) {
        double p = 0, r = 0, f = 0;
        long n = 0;
        for (ClassMetrics m : classes) {
            p += m.precision;
            r += m.recall;
            f += m.f1;
            n += m.support;
        }
        int k = classes.size();
        return new ClassMetrics(-1, p / k, r / k, f / k, n);
    }

    /** The mean over classes weighted by support; support is the total. */
    public static ClassMetrics weighted(List<ClassMetrics> classes) {
        double p = 0, r = 0, f = 0;
        long n = 0;
        for (ClassMetrics m : classes) {
            p += m.precision * m.support;
            r += m.recall * m.support;
            f += m.f1 * m.support;
            n += m.support;
        }
        return n == 0 ? new ClassMetrics(-1, 0, 0, 0, 0) : new ClassMetrics(-1, p / n, r / n, f / n, n);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0.0 : (double) a / b;
    }
}
