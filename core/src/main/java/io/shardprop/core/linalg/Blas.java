package io.shardprop.core.linalg;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The only caller of netlib BLAS ({@code dev.ludovic.netlib}): level-3 products and level-1 updates on
 * row-major {@link Mat} views.
 *
 * <p>BLAS is column-major; a row-major {@code m x n} matrix is the column-major {@code n x m} matrix of
 * its transpose with the same array. So {@code C = op(A)·op(B)} row-major is computed as the
 * column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}: swap the operands, keep the transpose flags.
 * The first use loads the BLAS {@link BlasChoice#configured()} names (by default the bundled OpenBLAS, with
 * one thread) and {@link #info()} says which library, version and kernel run.
 */
public final class Blas {

    private static final BlasLoader.Loaded LOADED = BlasLoader.load(BlasChoice.configured());
    private static final BLAS BLAS_INSTANCE = LOADED.blas();

    private Blas() {
    }

    /** The class name of the BLAS implementation in use, e.g. {@code dev.ludovic.netlib.blas.JNIBLAS}. */
    public static String implementation() {
        return BLAS_INSTANCE.getClass().getName();
    }

    /** The library, version, kernel and threads of the BLAS in use (loading it if nothing has yet). */
    public static BlasInfo info() {
        return LOADED.info();
    }

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C}, where {@code op(X)} is {@code Xᵀ} when its flag is set.
     *
     * @param a Not modified.
     * @param b Not modified.
     * @param c Modified. Must not share elements with {@code a} or {@code b}.
     */
    public static void gemm(double alpha, Mat a, boolean transA, Mat b, boolean transB, double beta, Mat c) {
        Dims d = Dims.of(a, transA, b, transB, c);
        if (d.m == 0 || d.n == 0) {
            return;
        }
        if (d.k == 0) {
            scal(beta, c);
            return;
        }
        BLAS_INSTANCE.dgemm(transB ? "T" : "N", transA ? "T" : "N", d.n, d.m, d.k, alpha,
                b.data(), b.offset(), Math.max(1, b.cols()),
                a.data(), a.offset(), Math.max(1, a.cols()),
                beta, c.data(), c.offset(), Math.max(1, d.n));
    }

    /** {@link #gemm(double, Mat, boolean, Mat, boolean, double, Mat)} in float32 (sgemm). */
    public static void gemm(float alpha, FMat a, boolean transA, FMat b, boolean transB, float beta, FMat c) {
        Dims d = Dims.of(a, transA, b, transB, c);
        if (d.m == 0 || d.n == 0) {
            return;
        }
        if (d.k == 0) {
            if (beta == 0f) {
                java.util.Arrays.fill(c.data(), c.offset(), c.offset() + c.size(), 0f);
            } else {
                BLAS_INSTANCE.sscal(c.size(), beta, c.data(), c.offset(), 1);
            }
            return;
        }
        BLAS_INSTANCE.sgemm(transB ? "T" : "N", transA ? "T" : "N", d.n, d.m, d.k, alpha,
                b.data(), b.offset(), Math.max(1, b.cols()),
                a.data(), a.offset(), Math.max(1, a.cols()),
                beta, c.data(), c.offset(), Math.max(1, d.n));
    }

    /** {@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}, {@code C} is {@code m x n}. */
    private record Dims(int m, int k, int n) {
        static Dims of(Inputs a, boolean transA, Inputs b, boolean transB, Inputs c) {
            int m = transA ? a.cols() : a.rows();
            int k = transA ? a.rows() : a.cols();
            int kb = transB ? b.cols() : b.rows();
            int n = transB ? b.rows() : b.cols();
            if (k != kb || c.rows() != m || c.cols() != n) {
                throw new IllegalArgumentException("gemm: op(A) is [" + m + " x " + k + "], op(B) is [" + kb + " x "
                        + n + "], C is " + c.shape());
            }
            return new Dims(m, k, n);
        }
    }

    /** {@code y += alpha·x} element-wise. {@code x} not modified; {@code y} modified. */
    public static void axpy(double alpha, Mat x, Mat y) {
        if (x.rows() != y.rows() || x.cols() != y.cols()) {
            throw new IllegalArgumentException("axpy: x is " + x.shape() + " but y is " + y.shape());
        }
        axpy(x.size(), alpha, x.data(), x.offset(), y.data(), y.offset());
    }

    /** {@code y[yOff + i] += alpha·x[xOff + i]} for {@code i < n}. */
    public static void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        if (n > 0) {
            BLAS_INSTANCE.daxpy(n, alpha, x, xOff, 1, y, yOff, 1);
        }
    }

    /** {@code x *= alpha} element-wise (modified). With {@code alpha == 0} the result is exactly zero. */
    public static void scal(double alpha, Mat x) {
        if (alpha == 0.0) {
            x.fillZero();
        } else if (x.size() > 0) {
            BLAS_INSTANCE.dscal(x.size(), alpha, x.data(), x.offset(), 1);
        }
    }
}
