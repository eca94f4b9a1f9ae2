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
        int xo = x.offset();
        int yo = y.offset();
        for (int i = 0, n = x.size(); i < n; i++) {
            b[yo + i] = Math.max(a[xo + i], 0.0); // branch-free: the JIT vectorizes it
        }
    }

    /** {@code dx = dy ⊙ [x > 0]}, the notebook's {@code G * (x > 0)}. {@code dx} modified (may be {@code dy}). */
    public static void backward(Mat x, Mat dy, Mat dx) {
        Shapes.same("Relu", x, dy);
        Shapes.same("Relu", x, dx);
        double[] a = x.data();
        double[] g = dy.data();
        double[] out = dx.data();
        int xo = x.offset();
        int go = dy.offset();
        int oo = dx.offset();
        for (int i = 0, n = x.size(); i < n; i++) {
            out[oo + i] = Double.longBitsToDouble(Double.doubleToRawLongBits(g[go + i]) & positive(a[xo + i]));
        }
    }

    /**
     * All ones when {@code x > 0}, else zero, without a branch: {@code x > 0} exactly when its bits, read as
     * a signed long, lie in {@code [1, bits(+∞)]} (NaN lies above). A data-dependent branch here is
     * mispredicted about half the time; the mask keeps the loop branch-free.
     */
    private static long positive(double x) {
        long b = Double.doubleToRawLongBits(x);
        return ~((b - 1) >> 63) & ~(b >> 63) & ((b - POSITIVE_INFINITY_BITS - 1) >> 63);
    }

    private static final long POSITIVE_INFINITY_BITS = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
}
