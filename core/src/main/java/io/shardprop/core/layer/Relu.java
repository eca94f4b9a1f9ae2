package io.shardprop.core.layer;

import io.shardprop.core.linalg.Mat;

/** ReLU: {@code y = max(0, x)}; backward {@code dx = dy ⊙ [x > 0]}. Any shape. */
public final class Relu {

    private Relu() {
    }

    /** {@code y = max(0, x)} element-wise. {@code y} modified (may be {@code x}). */
    public static void forward(Mat x, Mat y) {
        Shapes.same("Relu", x, y);
        double[] a = x.data();
        double[] b = y.data();
        for (int i = 0, n = x.size(); i < n; i++) {
            double v = a[x.offset() + i];
            b[y.offset() + i] = v > 0 ? v : 0.0;
        }
    }

    /** {@code dx = dy ⊙ [x > 0]}, the notebook's {@code G * (x > 0)}. {@code dx} modified (may be {@code dy}). */
    public static void backward(Mat x, Mat dy, Mat dx) {
        Shapes.same("Relu", x, dy);
        Shapes.same("Relu", x, dx);
        double[] a = x.data();
        double[] g = dy.data();
        double[] out = dx.data();
        for (int i = 0, n = x.size(); i < n; i++) {
            out[dx.offset() + i] = a[x.offset() + i] > 0 ? g[dy.offset() + i] : 0.0;
        }
    }
}
