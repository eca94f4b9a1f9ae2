package io.shardprop.core.layer;

import io.shardprop.core.linalg.Blas;
import io.shardprop.core.linalg.Mat;

/**
 * Matmul: {@code h = x·W}, with {@code x [n x d]}, {@code W [d x k]}, {@code h [n x k]}.
 * Backward: {@code dW += xᵀ·dh}, {@code dx = dh·Wᵀ}. The bias is a column of ones in {@code x}.
 */
public final class Matmul {

    private Matmul() {
    }

    /** {@code h = x·W}. {@code h} modified. */
    public static void forward(Mat x, Mat w, Mat h) {
        check(x, w, h, "h");
        Blas.gemm(1.0, x, false, w, false, 0.0, h);
    }

    /**
     * {@code dW += xᵀ·dh}; {@code dx = dh·Wᵀ} when {@code dx} is not null (the first layer's input
     * gradient is never needed, so callers pass null and skip that product).
     *
     * @param dW Modified (accumulated).
     * @param dx Modified, or null.
     */
    public static void backward(Mat x, Mat w, Mat dh, Mat dW, Mat dx) {
        check(x, w, dh, "dh");
        dW.requireShape("Matmul: dW", w.rows(), w.cols());
        Blas.gemm(1.0, x, true, dh, false, 1.0, dW);
        if (dx != null) {
            dx.requireShape("Matmul: dx", x.rows(), x.cols());
            Blas.gemm(1.0, dh, false, w, true, 0.0, dx);
        }
    }

    private static void check(Mat x, Mat w, Mat h, String hName) {
        if (x.cols() != w.rows() || h.rows() != x.rows() || h.cols() != w.cols()) {
            throw new IllegalArgumentException("Matmul: x is " + x.shape() + ", W is " + w.shape()
                    + " but " + hName + " is " + h.shape());
        }
    }
}
