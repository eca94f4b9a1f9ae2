package io.shardprop.core.layer;

import io.shardprop.core.linalg.Mat;

/**
 * Leaky ReLU: {@code y = x} for {@code x > 0}, else {@code SLOPE · x}; backward {@code dx = dy} where
 * {@code x > 0}, else {@code SLOPE · dy}. Any shape.
 */
public final class LeakyRelu {

    /** The negative side's slope, PyTorch's and Keras's default. */
    public static final double SLOPE = 0.01;

    private LeakyRelu() {
    }

    /** {@code y = x > 0 ? x : SLOPE·x} element-wise. {@code y} modified (may be {@code x}). */
    public static void forward(Mat x, Mat y) {
        Shapes.same("LeakyRelu", x, y);
        double[] a = x.data();
        double[] b = y.data();
        int xo = x.offset();
        int yo = y.offset();
        for (int i = 0, n = x.size(); i < n; i++) {
            double v = a[xo + i];
            b[yo + i] = v > 0 ? v : SLOPE * v;
        }
    }

    /** {@code dx = dy · (x > 0 ? 1 : SLOPE)}. {@code dx} modified (may be {@code dy}). */
    public static void backward(Mat x, Mat dy, Mat dx) {
        Shapes.same("LeakyRelu", x, dy);
        Shapes.same("LeakyRelu", x, dx);
        double[] a = x.data();
        double[] g = dy.data();
        double[] out = dx.data();
        int xo = x.offset();
        int go = dy.offset();
        int oo = dx.offset();
        for (int i = 0, n = x.size(); i < n; i++) {
            double d = g[go + i];
            out[oo + i] = a[xo + i] > 0 ? d : SLOPE * d;
        }
    }
}
