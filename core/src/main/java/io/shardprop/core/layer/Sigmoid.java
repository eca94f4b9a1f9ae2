package io.shardprop.core.layer;

import io.shardprop.core.linalg.Mat;

/**
 * Logistic sigmoid: {@code y = 1 / (1 + exp(−x))}, written as MLlib's {@code SigmoidFunction} writes it (the hidden
 * activation of {@code MultilayerPerceptronClassifier}); backward from the output, {@code dx = dy ⊙ y(1 − y)}.
 * Any shape.
 */
public final class Sigmoid {

    private Sigmoid() {
    }

    /** {@code y = 1 / (1 + exp(−x))} element-wise. {@code y} modified (may be {@code x}). */
    public static void forward(Mat x, Mat y) {
        Shapes.same("Sigmoid", x, y);
        double[] a = x.data();
        double[] b = y.data();
        int xo = x.offset();
        int yo = y.offset();
        for (int i = 0, n = x.size(); i < n; i++) {
            b[yo + i] = 1.0 / (1.0 + Math.exp(-a[xo + i]));
        }
    }

    /** {@code dx = dy ⊙ y(1 − y)} with {@code y} forward's output. {@code dx} modified (may be {@code dy}). */
    public static void backward(Mat y, Mat dy, Mat dx) {
        Shapes.same("Sigmoid", y, dy);
        Shapes.same("Sigmoid", y, dx);
        double[] a = y.data();
        double[] g = dy.data();
        double[] out = dx.data();
        int yo = y.offset();
        int go = dy.offset();
        int oo = dx.offset();
        for (int i = 0, n = y.size(); i < n; i++) {
            double s = a[yo + i];
            out[oo + i] = g[go + i] * (s * (1.0 - s));
        }
    }
}
