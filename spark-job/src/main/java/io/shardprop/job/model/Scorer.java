package io.shardprop.job.model;

import io.shardprop.core.linalg.Mat;
import io.shardprop.core.linalg.SparseMat;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Trace;

import java.io.Serializable;

/**
 * Forward passes of a trained model over blocks of rows, for {@code predict} and the Spark ML model. For
 * {@code x [n x inputs]} it gives each row's predicted label, the first maximum of its log-probabilities
 * (as training counts accuracy, and numpy's {@code argmax}), and its class probabilities.
 *
 * <p>Serializable so that a task (or a broadcast) carries it; the activation buffers are not serialized but
 * allocated on first use and reused, so one instance must not be used by two threads at once: a task that
 * gets a scorer from a broadcast (shared by the executor's threads) scores with its own {@link #copy()}.
 */
public final class Scorer implements Serializable {

    private final Mlp model;
    private final double[] params;
    private transient Trace trace;

    /** A scorer of {@code model} at {@code params} (not copied, not modified). */
    public Scorer(Mlp model, double[] params) {
        if (params.length != model.layout().paramCount()) {
            throw new IllegalArgumentException("Scorer: " + params.length + " parameters, layout "
                    + model.layout().describe() + " needs " + model.layout().paramCount());
        }
        this.model = model;
        this.params = params;
    }

    /** A scorer of the same model and parameters (shared, read-only) with its own buffers, for another thread. */
    public Scorer copy() {
        return new Scorer(model, params);
    }

    /**
     * Predicted labels, probabilities and log-probabilities (Spark ML's {@code rawPrediction}: larger is more
     * likely, so {@code BinaryClassificationEvaluator} ranks by it) of a block of {@code n} rows.
     */
    public record Scores(int[] labels, Mat probabilities, Mat logProbabilities, Mat values) {
        /** A classification's scores. */
        public Scores(int[] labels, Mat probabilities, Mat logProbabilities) {
            this(labels, probabilities, logProbabilities, null);
        }
    }

    /** Whether the model is a regression's: {@link #score} gives {@link Scores#values} only. */
    public boolean regression() {
        return model.loss().regression();
    }

    public Mlp model() {
        return model;
    }

    /** Input width including the ones column: {@code x} has this many columns. */
    public int inputs() {
        return model.layout().inputs();
    }

    public int classes() {
        return model.layout().classes();
    }

    /**
     * Forward pass of {@code x [n x inputs]} (not modified).
     *
     * @return {@code labels[n]} and new {@code probabilities} and {@code logProbabilities [n x classes]}
     */
    public Scores score(Mat x) {
        Trace v = forward(x);
        int n = x.rows();
        if (regression()) {
            Mat y = Mat.zeros(n, classes());
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < y.cols(); j++) {
                    y.set(i, j, v.logits().get(i, j));
                }
            }
            return new Scores(null, null, null, y);
        }
        int[] labels = new int[n];
        Mat p = Mat.zeros(n, classes());
        Mat logp = Mat.zeros(n, classes());
        for (int i = 0; i < n; i++) {
            labels[i] = Mlp.argmax(v.logp(), i);
            for (int j = 0; j < p.cols(); j++) {
                p.set(i, j, model.probability(v, i, j));
                logp.set(i, j, v.logp().get(i, j));
            }
        }
        return new Scores(labels, p, logp);
    }

    /** The trace of a forward pass of {@code x}: a view of this scorer's buffers, valid until the next call. */
    public Trace forward(Mat x) {
        if (trace == null || trace.capacity() < x.rows()) {
            trace = Trace.allocate(model.layout(), Math.max(1, x.rows()));
        }
        SparseMat sparse = model.layout().inputs() == x.cols() ? SparseMat.of(x) : null;  // as training and evaluate
        return model.forward(params, sparse != null ? sparse : x, trace);
    }
}
