package io.shardprop.core.model;

import io.shardprop.core.layer.Log;
import io.shardprop.core.layer.Matmul;
import io.shardprop.core.layer.Relu;
import io.shardprop.core.layer.Softmax;
import io.shardprop.core.linalg.Mat;

/**
 * The notebook's {@code myModel}: {@code x·W1 → ReLU → ·W2 → Softmax → Log}, composed from the
 * hand-written layers, over one flat parameter vector laid out by {@link Layout}.
 *
 * <p>Backward starts from {@code −label} at the Log output, so the gradient is that of
 * {@code Σ_i −log p_i[y_i]} summed (not averaged) over the batch, and it is <em>added</em> into
 * {@code grad}: a batch split into blocks accumulates the same gradient as the batch at once.
 * The first Matmul's input gradient is not computed.
 */
public final class Mlp {

    private Mlp() {
    }

    /**
     * Forward pass of {@code x [n x inputs]} into {@code t} (its first n rows; modified).
     *
     * @return the trace view that holds this batch's activations
     */
    public static Trace forward(Layout layout, double[] params, Mat x, Trace t) {
        x.requireShape("Mlp: x", x.rows(), layout.inputs());
        Trace v = t.topRows(x.rows());
        Matmul.forward(x, layout.w1(params), v.h1());
        Relu.forward(v.h1(), v.r());
        Matmul.forward(v.r(), layout.w2(params), v.h2());
        Softmax.forward(v.h2(), v.s());
        Log.forward(v.s(), v.logp());
        return v;
    }

    /**
     * Backward pass from {@code G = −onehot(labels)} through a trace made by {@link #forward};
     * adds ∂L/∂W1 and ∂L/∂W2 into {@code grad} (modified; same layout as the parameters).
     */
    public static void backward(Layout layout, double[] params, Mat x, int[] labels, Trace v, double[] grad) {
        Mat dout = v.dout();
        dout.fillZero();
        for (int i = 0; i < x.rows(); i++) {
            dout.set(i, labels[i], -1.0);
        }
        Log.backward(v.s(), dout, dout);
        Softmax.backward(v.s(), dout, dout);
        Matmul.backward(v.r(), layout.w2(params), dout, layout.w2(grad), v.dr());
        Relu.backward(v.h1(), v.dr(), v.dr());
        Matmul.backward(x, layout.w1(params), v.dr(), layout.w1(grad), null);
    }

    /** Forward, then backward into {@code grad}; returns the batch's loss sum and correct count. */
    public static Stats lossAndGradient(Layout layout, double[] params, Mat x, int[] labels, Trace t,
                                        double[] grad) {
        Trace v = forward(layout, params, x, t);
        Stats stats = stats(v.logp(), labels);
        backward(layout, params, x, labels, v, grad);
        return stats;
    }

    /** Forward only; returns the loss sum and correct count. */
    public static Stats evaluate(Layout layout, double[] params, Mat x, int[] labels, Trace t) {
        return stats(forward(layout, params, x, t).logp(), labels);
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
