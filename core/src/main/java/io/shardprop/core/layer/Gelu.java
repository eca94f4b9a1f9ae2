package io.shardprop.core.layer;

import io.shardprop.core.linalg.Mat;

/**
 * GELU in its tanh form (Hendrycks and Gimpel; BERT's and GPT-2's, PyTorch's {@code approximate="tanh"}):
 * {@code y = x/2 · (1 + tanh(u))} with {@code u = √(2/π) · (x + 0.044715 x³)}; backward
 * {@code dx = dy · (½(1 + tanh u) + x/2 · (1 − tanh² u) · √(2/π) · (1 + 3·0.044715 x²))}. Any shape. The
 * erf form differs from it by less than 1e-3 everywhere.
 */
public final class Gelu {

    public static final double ROOT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    public static final double CUBIC = 0.044715;

    private Gelu() {
    }

    /** {@code y = x/2 · (1 + tanh(√(2/π)(x + 0.044715 x³)))} element-wise. {@code y} modified (may be {@code x}). */
    public static void forward(Mat x, Mat y) {
        Shapes.same("Gelu", x, y);
        double[] a = x.data();
        double[] b = y.data();
        int xo = x.offset();
        int yo = y.offset();
        for (int i = 0, n = x.size(); i < n; i++) {
            double v = a[xo + i];
            b[yo + i] = 0.5 * v * (1.0 + Math.tanh(ROOT_2_OVER_PI * (v + CUBIC * v * v * v)));
        }
    }

    /** {@code dx = dy · GELU'(x)}. {@code dx} modified (may be {@code dy}, not {@code x}). */
    public static void backward(Mat x, Mat dy, Mat dx) {
        Shapes.same("Gelu", x, dy);
        Shapes.same("Gelu", x, dx);
        double[] a = x.data();
        double[] g = dy.data();
        double[] out = dx.data();
        int xo = x.offset();
        int go = dy.offset();
        int oo = dx.offset();
        for (int i = 0, n = x.size(); i < n; i++) {
            double v = a[xo + i];
            double t = Math.tanh(ROOT_2_OVER_PI * (v + CUBIC * v * v * v));
            double du = ROOT_2_OVER_PI * (1.0 + 3.0 * CUBIC * v * v);
            out[oo + i] = g[go + i] * (0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * du);
        }
    }
}
