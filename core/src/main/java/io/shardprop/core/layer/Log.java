package io.shardprop.core.layer;

import io.shardprop.core.linalg.Mat;

/** Log: {@code y = log(x + ε)} with the notebook's {@code ε = 1e-12}; backward {@code dx = dy / (x + ε)}. */
public final class Log {

    /** The notebook's ε inside the logarithm. */
    public static final double EPS = 1e-12;

    private Log() {
    }

    /** {@code y = log(x + ε)} element-wise. {@code y} modified (may be {@code x}). */
    public static void forward(Mat x, Mat y) {
        Shapes.same("Log", x, y);
        double[] a = x.data();
        double[] b = y.data();
        for (int i = 0, n = x.size(); i < n; i++) {
            b[y.offset() + i] = Math.log(a[x.offset() + i] + EPS);
        }
    }

    /** {@code dx = dy / (x + ε)} element-wise. {@code dx} modified (may be {@code dy}). */
    public static void backward(Mat x, Mat dy, Mat dx) {
        Shapes.same("Log", x, dy);
        Shapes.same("Log", x, dx);
        double[] a = x.data();
        double[] g = dy.data();
        double[] out = dx.data();
        for (int i = 0, n = x.size(); i < n; i++) {
            out[dx.offset() + i] = g[dy.offset() + i] / (a[x.offset() + i] + EPS);
        }
    }
}
