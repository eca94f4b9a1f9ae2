package io.shardprop.core.linalg;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlasTest {

    private static Mat random(SplittableRandom rnd, int rows, int cols) {
        Mat m = Mat.zeros(rows, cols);
        for (int i = 0; i < m.size(); i++) {
            m.data()[i] = rnd.nextDouble(-1, 1);
        }
        return m;
    }

    /** The independent reference: a naive triple loop over op(A)·op(B). */
    private static double naive(Mat a, boolean ta, Mat b, boolean tb, int i, int j) {
        int k = ta ? a.rows() : a.cols();
        double s = 0;
        for (int p = 0; p < k; p++) {
            s += (ta ? a.get(p, i) : a.get(i, p)) * (tb ? b.get(j, p) : b.get(p, j));
        }
        return s;
    }

    @Test
    void gemmMatchesNaiveProductForEveryTransposeCombination() {
        SplittableRandom rnd = new SplittableRandom(7);
        int m = 7;
        int k = 5;
        int n = 3;
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                Mat a = ta ? random(rnd, k, m) : random(rnd, m, k);
                Mat b = tb ? random(rnd, n, k) : random(rnd, k, n);
                Mat c = random(rnd, m, n);
                Mat c0 = new Mat(c.toArray(), 0, m, n);
                Blas.gemm(2.0, a, ta, b, tb, 0.5, c);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double expected = 2.0 * naive(a, ta, b, tb, i, j) + 0.5 * c0.get(i, j);
                        assertEquals(expected, c.get(i, j), 1e-13, "ta=" + ta + " tb=" + tb + " at " + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void gemmWorksOnViewsAtAnOffset() {
        double[] flat = new double[3 + 6 + 4];
        Mat a = new Mat(flat, 3, 2, 3);
        Mat b = new Mat(flat, 9, 2, 2);
        for (int i = 0; i < flat.length; i++) {
            flat[i] = i;
        }
        Mat c = Mat.zeros(3, 2);
        Blas.gemm(1.0, a, true, b, false, 0.0, c); // aᵀ [3x2] · b [2x2]
        assertEquals(a.get(0, 0) * b.get(0, 0) + a.get(1, 0) * b.get(1, 0), c.get(0, 0), 0.0);
        assertEquals(a.get(0, 2) * b.get(0, 1) + a.get(1, 2) * b.get(1, 1), c.get(2, 1), 0.0);
    }

    @Test
    void gemmRejectsMismatchedShapesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(1, Mat.zeros(2, 3), false, Mat.zeros(4, 2), false, 0, Mat.zeros(2, 2)));
        assertTrue(e.getMessage().contains("[2 x 3]") && e.getMessage().contains("[4 x 2]"), e.getMessage());
    }

    @Test
    void axpyAddsScaledVector() {
        Mat x = Mat.of(1, 3, 1, 2, 3);
        Mat y = Mat.of(1, 3, 10, 20, 30);
        Blas.axpy(-2.0, x, y);
        assertEquals(8.0, y.get(0, 0));
        assertEquals(16.0, y.get(0, 1));
        assertEquals(24.0, y.get(0, 2));
    }

    @Test
    void implementationIsNamed() {
        assertTrue(Blas.implementation().startsWith("dev.ludovic.netlib.blas."), Blas.implementation());
    }
}
