package io.shardprop.core.layer;

import io.shardprop.core.linalg.Blas;
import io.shardprop.core.linalg.FMat;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.linalg.Mat;
import io.shardprop.core.linalg.SparseMat;

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

    /**
     * Float32 buffers of the first layer's products under {@code --precision float32}, reused across blocks.
     *
     * @param w  {@code W} rounded to float32 {@code [in x out]}
     * @param h  the product {@code [rows x out]}, also {@code float32(dh)} in backward
     * @param dW the product {@code xᵀ·dh} {@code [in x out]}
     */
    public record Scratch32(FMat w, FMat h, FMat dW) {

        public static Scratch32 allocate(int in, int out, int rows) {
            return new Scratch32(FMat.zeros(in, out), FMat.zeros(rows, out), FMat.zeros(in, out));
        }

        /** The same buffers for the first {@code n} rows. */
        public Scratch32 topRows(int n) {
            return new Scratch32(w, h.topRows(n), dW);
        }
    }

    /**
     * {@code h = x·W} for a model's inputs, in their precision. Float32 inputs: W is rounded to float32 into
     * {@code s}, the product runs in float32 (sgemm) and is widened into {@code h}. {@code h} modified.
     */
    public static void forward(Inputs x, Mat w, Mat h, Scratch32 s) {
        if (x instanceof SparseMat sparse) {
            check(x, w, h, "h");
            sparse.times(w, h);
        } else if (x instanceof FMat x32) {
            forward32(x32, w, h, s);
        } else {
            forward((Mat) x, w, h);
        }
    }

    /**
     * {@code dW += xᵀ·dh} for a model's inputs, in their precision; no input gradient (the inputs are data).
     * Float32 inputs: dh is rounded to float32 into {@code s}, the product runs in float32 and is added to
     * {@code dW} in double. {@code dW} modified.
     */
    public static void weightGradient(Inputs x, Mat w, Mat dh, Mat dW, Scratch32 s) {
        if (x instanceof SparseMat sparse) {
            check(x, w, dh, "dh");
            dW.requireShape("Matmul: dW", w.rows(), w.cols());
            sparse.transposeTimesAdd(dh, dW);
        } else if (x instanceof FMat x32) {
            backward32(x32, dh, dW, s);
        } else {
            backward((Mat) x, w, dh, dW, null);
        }
    }

    private static void forward32(FMat x, Mat w, Mat h, Scratch32 s) {
        check(x, w, h, "h");
        FMat w32 = s.w();
        w32.requireShape("Matmul: float32 W", w.rows(), w.cols());
        FMat h32 = s.h().topRows(x.rows());
        FMat.round(w, w32);
        Blas.gemm(1f, x, false, w32, false, 0f, h32);
        FMat.widen(h32, h);
    }

    private static void backward32(FMat x, Mat dh, Mat dW, Scratch32 s) {
        check(x, dW, dh, "dh");
        FMat dh32 = s.h().topRows(x.rows());
        FMat.round(dh, dh32);
        FMat dW32 = s.dW();
        dW32.requireShape("Matmul: float32 dW", dW.rows(), dW.cols());
        Blas.gemm(1f, x, true, dh32, false, 0f, dW32);
        FMat.addTo(dW32, dW);
    }

    private static void check(Inputs x, Mat w, Mat h, String hName) {
        if (x.cols() != w.rows() || h.rows() != x.rows() || h.cols() != w.cols()) {
            throw new IllegalArgumentException("Matmul: x is " + x.shape() + ", W is " + w.shape()
                    + " but " + hName + " is " + h.shape());
        }
    }
}
