package io.shardprop.job.eval;

import io.shardprop.core.model.Stats;
import io.shardprop.job.report.Mistake;

import java.util.List;

/**
 * The result of evaluating a model on labelled data: loss and accuracy ({@link Stats}, the same sums as
 * training's test pass), the confusion matrix and the worst mistakes.
 *
 * @param stats     loss sum, correct count and sample count
 * @param confusion {@code [k][k]}, rows true labels, columns predicted labels
 * @param worst     the most confident mistakes, worst first (at most {@code Plots.MAX_MISTAKES})
 */
public record Evaluation(Stats stats, long[][] confusion, List<Mistake> worst,
                         io.shardprop.core.train.EvaluationSums.RegressionFit fit) {

    /** A classification's evaluation. */
    public Evaluation(Stats stats, long[][] confusion, List<Mistake> worst) {
        this(stats, confusion, worst, null);
    }

    /** Whether this is a regression's evaluation ({@link #fit} has its RMSE, MAE and R²). */
    public boolean regression() {
        return fit != null;
    }

    /** Number of misclassified samples. */
    public long mistakes() {
        return stats.count() - stats.correct();
    }

    /** Precision, recall, F1 and support of each class. */
    public List<ClassMetrics> perClass() {
        return ClassMetrics.perClass(confusion);
    }
}
