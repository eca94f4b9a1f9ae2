package io.shardprop.core.layer;

import io.shardprop.core.linalg.Mat;

/** Tanh: {@code y = tanh(x)}; backward from the output, {@code dx = dy ⊙ (1 − y²)}. Any shape. */
public final class Tanh {

    private Tanh() {
    }

    /** {@code y = tanh(x)} element-wise. {@code y} modified (may be {@code x}). */
    public static void forward(Mat x, Mat y) {
        Shapes.same("Tanh", x, y);
        double[] a = x.data();
        double[] b = y.data();
        int xo = x.offset();
        int yo = y.offset();
        for (int i = 0, n = x.size(); i < n; i++) {
            b[yo + i] = Math.tanh(a[xo + i]);
        }
    }

    /** {@code dx = dy ⊙ (1 − y²)} with {@code y} forward's output. {@code dx} modified (may be {@code dy}). */
    public static void backward(Mat y, Mat dy, Mat dx) {
        Shapes.same("Tanh", y, dy);
        Shapes.same("Tanh", y, dx);
        double[] a = y.data();
        double[] g = dy.data();
        double[] out = dx.data();
        int yo = y.offset();
        int go = dy.offset();
        int oo = dx.offset();
        for (int i = 0, n = y.size(); i < n; i++) {
            double t = a[yo + i];
            out[oo + i] = g[go + i] * (1.0 - t * t);
        }
    }
}
