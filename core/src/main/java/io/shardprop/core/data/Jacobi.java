package io.shardprop.core.data;

/**
 * Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations: plain Java, so the
 * result is the same on every machine (no BLAS, no LAPACK). Used once per image side and width of the
 * elastic field's Gaussian ({@link ElasticField}).
 */
final class Jacobi {

    private Jacobi() {
    }

    /**
     * The eigen-decomposition of the symmetric {@code n x n} matrix {@code a} (row-major, not modified):
     * returns the eigenvalues; {@code vectors} (row-major {@code n x n}) receives the eigenvectors as
     * columns, orthonormal, in the order of the returned values.
     */
    static double[] decompose(double[] a, int n, double[] vectors) {
        double[] m = a.clone();
        java.util.Arrays.fill(vectors, 0.0);
        for (int i = 0; i < n; i++) {
            vectors[i * n + i] = 1.0;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += m[p * n + q] * m[p * n + q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotate(m, vectors, n, p, q);
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = m[i * n + i];
        }
        return values;
    }

    /** One rotation in the (p, q) plane that zeroes {@code m[p][q]}. */
    private static void rotate(double[] m, double[] v, int n, int p, int q) {
        double apq = m[p * n + q];
        if (apq == 0) {
            return;
        }
        double theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < n; k++) {  // columns p and q
            double mkp = m[k * n + p];
            double mkq = m[k * n + q];
            m[k * n + p] = c * mkp - s * mkq;
            m[k * n + q] = s * mkp + c * mkq;
        }
        for (int k = 0; k < n; k++) {  // rows p and q
            double mpk = m[p * n + k];
            double mqk = m[q * n + k];
            m[p * n + k] = c * mpk - s * mqk;
            m[q * n + k] = s * mpk + c * mqk;
        }
        for (int k = 0; k < n; k++) {
            double vkp = v[k * n + p];
            double vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }
}
