package io.shardprop.core.model;

import io.shardprop.core.layer.Bias;
import io.shardprop.core.layer.Log;
import io.shardprop.core.layer.Matmul;
import io.shardprop.core.layer.Relu;
import io.shardprop.core.layer.Softmax;
import io.shardprop.core.layer.SoftmaxCrossEntropy;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.linalg.Mat;

import java.io.Serializable;

/**
 * An MLP composed from the hand-written layers over one flat parameter vector laid out by {@link Layout}:
 * {@code (Matmul [+ Bias] → ReLU)* → Matmul [+ Bias] → loss}. With {@link Layout#mnist(int)} and
 * {@link Loss#SEED} it is exactly the notebook's {@code myModel}: {@code x·W1 → ReLU → ·W2 → Softmax → Log}.
 *
 * <p>Backward adds the gradient of {@code Σ_i −log p_i[y_i]}, summed over the batch, into {@code grad}, so a
 * batch split into blocks accumulates the same gradient as the batch at once. The first Matmul's input
 * gradient is never computed. With float32 inputs ({@link io.shardprop.core.linalg.FMat}) the first layer's
 * two products run in float32; everything else stays in double.
 */
public record Mlp(Layout layout, Loss loss) implements Serializable {

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
                Relu.forward(h, v.r()[l]);
                a = v.r()[l];
            }
        }
        if (loss == Loss.SEED) {
            Softmax.forward(v.logits(), v.s());
            Log.forward(v.s(), v.logp());
        } else {
            SoftmaxCrossEntropy.forward(v.logits(), v.logp());
        }
        return v;
    }

    /**
     * Backward pass through a trace made by {@link #forward}; adds ∂L/∂params into {@code grad}
     * (modified; same layout as the parameters), with {@code L = Σ_i −logp[i, y_i]}.
     */
    public void backward(double[] params, Inputs x, int[] labels, Trace v, double[] grad) {
        Mat dh = v.dout();
        if (loss == Loss.SEED) {
            dh.fillZero();
            for (int i = 0; i < x.rows(); i++) {
                dh.set(i, labels[i], -1.0);
            }
            Log.backward(v.s(), dh, dh);
            Softmax.backward(v.s(), dh, dh);
        } else {
            SoftmaxCrossEntropy.backward(v.logp(), labels, 1.0, dh);
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
                Relu.backward(v.h()[l - 1], da, da);
                dh = da;
            }
        }
    }

    /** Forward, then backward into {@code grad}; returns the batch's loss sum and correct count. */
    public Stats lossAndGradient(double[] params, Inputs x, int[] labels, Trace t, double[] grad) {
        Trace v = forward(params, x, t);
        Stats stats = stats(v.logp(), labels);
        backward(params, x, labels, v, grad);
        return stats;
    }

    /** Forward only; returns the loss sum and correct count. */
    public Stats evaluate(double[] params, Inputs x, int[] labels, Trace t) {
        return stats(forward(params, x, t).logp(), labels);
    }

    /**
     * Loss sum {@code Σ_i −logp[i, y_i]} and the number of rows whose first maximal log-probability is
     * at {@code y_i} (numpy's {@code argmax} takes the first maximum too).
     */
    public static Stats stats(Mat logp, int[] labels) {
        double lossSum = 0.0;
        long correct = 0;
        for (int i = 0; i < logp.rows(); i++) {
            lossSum -= logp.get(i, labels[i]);
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
