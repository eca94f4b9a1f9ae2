package io.shardprop.core.data;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Simard's elastic displacement field, drawn fast: a field of independent uniform(-1, 1) values per pixel,
 * smoothed by a Gaussian of width {@code sigma} (zeros outside the image, truncated at 4 sigma, as
 * {@code scipy.ndimage.gaussian_filter(mode="constant")}) and scaled by {@code alpha}.
 *
 * <p>The smoothing is separable, {@code F = Gh · U · Gwᵀ} with {@code Gh}, {@code Gw} the symmetric Toeplitz
 * matrices of the 1-D Gaussian. Written in the eigenbasis {@code G = Q Λ Qᵀ}, {@code F = (QhΛh) · (Qhᵀ U Qw) ·
 * (QwΛw)ᵀ}, and {@code Qhᵀ U Qw} of independent values of variance 1/3 is again uncorrelated with variance 1/3. So
 * the field is drawn as {@code Bh · Z · Bwᵀ} with {@code B = QΛ} restricted to the modes whose eigenvalue is at
 * least {@value #KEPT} of the largest and {@code Z} a small matrix of uniform(-1, 1) values: the same covariance
 * as Simard's field but for the modes dropped (for σ = 4 on 28 x 28: 6 of 28 modes a side; the covariance within
 * 0.5 % of Simard's, as {@code DeformationTest} checks), from 72 random numbers and 11,000 multiply-adds an image
 * instead of 1,568 and 80,000.
 */
final class ElasticField {

    /** Modes kept: eigenvalues at least this fraction of the largest. */
    static final double KEPT = 0.05;

    private static final Map<String, ElasticField> CACHE = new ConcurrentHashMap<>();

    private final int height;
    private final int width;
    /** {@code Bh}, row-major {@code height x kh}, in float32 (the field is drawn in float32). */
    private final float[] bh;
    /** {@code Bwᵀ}, row-major {@code kw x width}, each row padded with zeros to {@link #padded} floats. */
    private final float[] bwT;
    private final int kh;
    private final int kw;
    /** The image's width rounded up to whole vectors of 16 floats: the length of every row drawn. */
    private final int padded;

    private ElasticField(int height, int width, double sigma) {
        this.height = height;
        this.width = width;
        double[] h = basis(height, sigma);
        double[] w = basis(width, sigma);
        this.kh = h.length / height;
        this.kw = w.length / width;
        this.padded = (width + 15) / 16 * 16;
        this.bh = new float[h.length];
        for (int i = 0; i < h.length; i++) {
            bh[i] = (float) h[i];
        }
        this.bwT = new float[kw * padded];
        for (int j = 0; j < width; j++) {
            for (int b = 0; b < kw; b++) {
                bwT[b * padded + j] = (float) w[j * kw + b];
            }
        }
    }

    /** The field generator of {@code height x width} images and Gaussian width {@code sigma} (cached). */
    static ElasticField of(int height, int width, double sigma) {
        return CACHE.computeIfAbsent(height + "x" + width + "@" + Double.doubleToLongBits(sigma),
                k -> new ElasticField(height, width, sigma));
    }

    /**
     * The row stride of a drawn field: row {@code i}'s x displacements at {@code [i * stride, i * stride + width)},
     * its y displacements from {@code i * stride + stride / 2}.
     */
    int stride() {
        return 2 * padded;
    }

    /** Floats of scratch {@link #draw} needs: {@code T}, then a row of {@code Z}. */
    int scratch() {
        return kh * stride() + kw;
    }

    /**
     * Draws both components of one field into {@code field} ({@code height} rows of {@link #stride()} floats: the x
     * (column) displacements, then the y (row) ones): {@code alpha · Bh Z Bwᵀ} for each, with {@code Z} drawn from
     * {@code rnd} row by row, x's first. {@code t} is scratch of {@link #scratch()} floats. Both components go
     * through one pass, on rows padded to whole vectors ({@link Rows#combine}), which is what makes it fast.
     */
    void draw(SplittableRandom rnd, double alpha, float[] t, float[] field) {
        int stride = stride();
        int z = kh * stride;                             // Z's current row, after T in the scratch
        for (int half = 0; half < 2; half++) {          // T = [alpha Zx Bwᵀ, alpha Zy Bwᵀ]
            for (int a = 0; a < kh; a++) {
                for (int b = 0; b < kw; b++) {
                    t[z + b] = (float) (alpha * (2 * rnd.nextDouble() - 1));
                }
                Rows.combine(t, z, kw, bwT, padded, t, a * stride + half * padded, padded);
            }
        }
        for (int i = 0; i < height; i++) {              // F = Bh · T
            Rows.combine(bh, i * kh, kh, t, stride, field, i * stride, stride);
        }
    }

    /**
     * {@code QΛ} of the {@code n x n} Gaussian smoothing matrix, restricted to its leading modes: row-major
     * {@code n x k}, the modes in decreasing order of eigenvalue.
     */
    static double[] basis(int n, double sigma) {
        int radius = (int) Math.ceil(4 * sigma);
        double[] kernel = new double[radius + 1];
        double sum = 0;
        for (int d = -radius; d <= radius; d++) {
            sum += Math.exp(-0.5 * d * d / (sigma * sigma));
        }
        for (int d = 0; d <= radius; d++) {
            kernel[d] = Math.exp(-0.5 * d * d / (sigma * sigma)) / sum;
        }
        double[] g = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int d = Math.abs(i - j);
                g[i * n + j] = d <= radius ? kernel[d] : 0.0;
            }
        }
        double[] q = new double[n * n];
        double[] values = Jacobi.decompose(g, n, q);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(Math.abs(values[y]), Math.abs(values[x])));
        double top = Math.abs(values[order[0]]);
        int k = 0;
        while (k < n && Math.abs(values[order[k]]) >= KEPT * top) {
            k++;
        }
        double[] b = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < k; m++) {
                b[i * k + m] = q[i * n + order[m]] * values[order[m]];
            }
        }
        return b;
    }
}
