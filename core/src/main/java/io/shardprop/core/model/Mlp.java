package io.shardprop.core.model;

import io.shardprop.core.data.Batch;
import io.shardprop.core.layer.Bias;
import io.shardprop.core.layer.Huber;
import io.shardprop.core.layer.SquaredError;
import io.shardprop.core.layer.Log;
import io.shardprop.core.layer.Matmul;
import io.shardprop.core.layer.Softmax;
import io.shardprop.core.layer.SoftmaxCrossEntropy;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.linalg.Mat;

import java.io.Serializable;

/**
 * An MLP composed from the hand-written layers over one flat parameter vector laid out by {@link Layout}:
 * {@code (Matmul [+ Bias] → activation)* → Matmul [+ Bias] → loss}. With {@link Layout#mnist(int)}, {@link Loss#SEED}
 * and {@link Activation#RELU} it is exactly the notebook's {@code myModel}:
 * {@code x·W1 → ReLU → ·W2 → Softmax → Log}. A regression loss ({@link Loss#regression()}) has linear outputs.
 *
 * <p>Backward adds the gradient of the batch's loss sum {@code Σ_i w_i ℓ_i} into {@code grad} (classification:
 * {@code ℓ_i = −log p_i[y_i]}; {@code w_i} the row's weight, 1 without weights), so a batch split into blocks
 * accumulates the same gradient as the batch at once. The first Matmul's input gradient is never computed. With
 * float32 inputs ({@link io.shardprop.core.linalg.FMat}) the first layer's two products run in float32; everything
 * else stays in double.
 */
public record Mlp(Layout layout, Loss loss, Activation activation) implements Serializable {

    public Mlp {
        java.util.Objects.requireNonNull(layout, "layout");
        java.util.Objects.requireNonNull(loss, "loss");
        java.util.Objects.requireNonNull(activation, "activation");
    }

    /** With ReLU hidden layers. */
    public Mlp(Layout layout, Loss loss) {
        this(layout, loss, Activation.RELU);
    }

    /** The notebook's model with {@code hidden} units. */
    public static Mlp seed(int hidden) {
        return new Mlp(Layout.mnist(hidden), Loss.SEED);
    }

    /**
     * Forward pass of {@code x [n x inputs]} into {@code t} (its first n rows; modified).
     *
     * @return the trace view that holds this batch's activations
     */
    public Trace forward(double[] params, Inputs x, Trace t) {
        x.requireShape("Mlp: x", x.rows(), layout.inputs());
        Trace v = t.topRows(x.rows());
        Mat a = null;
        for (int l = 0; l < layout.layers(); l++) {
            Mat h = v.h()[l];
            if (l == 0) {
                Matmul.forward(x, layout.weight(0, params), h, v.f32());
            } else {
                Matmul.forward(a, layout.weight(l, params), h);
            }
            if (layout.hasBias(l)) {
                Bias.forward(layout.bias(l, params), h);
            }
            if (l < layout.layers() - 1) {
                activation.forward(h, v.r()[l]);
                a = v.r()[l];
            }
        }
        if (loss == Loss.SEED) {
            Softmax.forward(v.logits(), v.s());
            Log.forward(v.s(), v.logp());
        } else if (loss == Loss.XENT) {
            SoftmaxCrossEntropy.forward(v.logits(), v.logp());
        }
        return v;
    }

    /**
     * Backward pass through a trace made by {@link #forward} of {@code data}'s inputs; adds ∂L/∂params into
     * {@code grad} (modified; same layout as the parameters), with {@code L = Σ_i w_i ℓ_i}.
     */
    public void backward(double[] params, Batch data, Trace v, double[] grad) {
        Inputs x = data.x();
        Mat dh = v.dout();
        double[] w = data.weights();
        switch (loss) {
            case SEED -> {
                dh.fillZero();
                int[] labels = data.labels();
                for (int i = 0; i < x.rows(); i++) {
                    dh.set(i, labels[i], w == null ? -1.0 : -w[i]);
                }
                Log.backward(v.s(), dh, dh);
                Softmax.backward(v.s(), dh, dh);
            }
            case XENT -> SoftmaxCrossEntropy.backward(v.logp(), data.labels(), w, dh);
            case SQUARED -> SquaredError.backward(v.logits(), data.targets(), w, dh);
            case HUBER -> Huber.backward(v.logits(), data.targets(), w, dh);
        }
        for (int l = layout.layers() - 1; l >= 0; l--) {
            if (l == 0) {
                Matmul.weightGradient(x, layout.weight(0, params), dh, layout.weight(0, grad), v.f32());
            } else {
                Matmul.backward(v.r()[l - 1], layout.weight(l, params), dh, layout.weight(l, grad), v.dr()[l - 1]);
            }
            if (layout.hasBias(l)) {
                Bias.backward(dh, layout.bias(l, grad));
            }
            if (l > 0) {
                Mat da = v.dr()[l - 1];
                activation.backward(v.h()[l - 1], v.r()[l - 1], da, da);
                dh = da;
            }
        }
    }

    /** {@link #backward(double[], Batch, Trace, double[])} of labelled rows of weight 1. */
    public void backward(double[] params, Inputs x, int[] labels, Trace v, double[] grad) {
        backward(params, new Batch(x, labels), v, grad);
    }

    /** Forward, then backward into {@code grad}; returns the batch's sums ({@link #stats(Trace, Batch)}). */
    public Stats lossAndGradient(double[] params, Batch data, Trace t, double[] grad) {
        Trace v = forward(params, data.x(), t);
        Stats stats = stats(v, data);
        backward(params, data, v, grad);
        return stats;
    }

    /** {@link #lossAndGradient(double[], Batch, Trace, double[])} of labelled rows of weight 1. */
    public Stats lossAndGradient(double[] params, Inputs x, int[] labels, Trace t, double[] grad) {
        return lossAndGradient(params, new Batch(x, labels), t, grad);
    }

    /** Forward only; returns the batch's sums. */
    public Stats evaluate(double[] params, Batch data, Trace t) {
        return stats(forward(params, data.x(), t), data);
    }

    /** Forward only of labelled rows of weight 1; returns the loss sum and correct count. */
    public Stats evaluate(double[] params, Inputs x, int[] labels, Trace t) {
        return evaluate(params, new Batch(x, labels), t);
    }

    /**
     * The sums of a forward pass {@code v} of {@code data}: {@code Σ_i w_i ℓ_i}, the correct count (classification),
     * the row count and {@code Σ_i w_i}.
     */
    public Stats stats(Trace v, Batch data) {
        double[] w = data.weights();
        int n = data.size();
        double weight = 0.0;
        if (w != null) {
            for (double wi : w) {
                weight += wi;
            }
        } else {
            weight = n;
        }
        if (!loss.regression()) {
            Stats s = stats(v.logp(), data.labels(), w);
            return new Stats(s.lossSum(), s.correct(), n, weight);
        }
        double lossSum = 0.0;
        for (int i = 0; i < n; i++) {
            lossSum += data.weight(i) * rowLoss(v, data.targets(), i);
        }
        return new Stats(lossSum, 0, n, weight);
    }

    /** Row {@code i}'s loss {@code ℓ_i} of a regression's forward pass {@code v} against {@code targets}. */
    public double rowLoss(Trace v, double[] targets, int i) {
        return loss == Loss.HUBER ? Huber.rowLoss(v.logits(), targets, i) : SquaredError.rowLoss(v.logits(), targets, i);
    }

    /**
     * Loss sum {@code Σ_i −logp[i, y_i]} and the number of rows whose first maximal log-probability is
     * at {@code y_i} (numpy's {@code argmax} takes the first maximum too).
     */
    public static Stats stats(Mat logp, int[] labels) {
        return stats(logp, labels, null);
    }

    /** As {@link #stats(Mat, int[])} with row {@code i}'s loss weighted by {@code w[i]} (null: 1). */
    private static Stats stats(Mat logp, int[] labels, double[] w) {
        double lossSum = 0.0;
        long correct = 0;
        for (int i = 0; i < logp.rows(); i++) {
            lossSum -= w == null ? logp.get(i, labels[i]) : w[i] * logp.get(i, labels[i]);
            if (argmax(logp, i) == labels[i]) {
                correct++;
            }
        }
        return new Stats(lossSum, correct, logp.rows());
    }
    /**
     * The model's probability of class {@code j} for row {@code i} of a forward pass: the softmax output
     * with the notebook's loss, else {@code exp(logp)}.
     */
    public double probability(Trace v, int i, int j) {
        return loss == Loss.SEED ? v.s().get(i, j) : Math.exp(v.logp().get(i, j));
    }

    /** Index of the first maximum of row {@code i}. */
    public static int argmax(Mat m, int i) {
        int best = 0;
        for (int j = 1; j < m.cols(); j++) {
            if (m.get(i, j) > m.get(i, best)) {
                best = j;
            }
        }
        return best;
    }
}
