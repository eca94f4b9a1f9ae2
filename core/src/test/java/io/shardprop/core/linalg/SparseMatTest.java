package io.shardprop.core.linalg;

import io.shardprop.core.data.Batch;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Trace;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The sparse products give the bits of their documented order (so the same on every CPU and vector width), agree
 * with the dense BLAS products to rounding, and a model's step on them agrees with the dense step.
 */
class SparseMatTest {

    /** {@code n x width} bytes, a share {@code density} of them non-zero (whole zero rows too). */
    private static ByteMat bytes(int n, int width, double density, ByteMat.Code code, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] px = new byte[n * width + 3];
        for (int i = 0; i < n; i++) {
            if (i % 7 == 3) {
                continue;  // an empty row: only the ones
            }
            for (int j = 0; j < width; j++) {
                if (r.nextDouble() < density) {
                    px[3 + i * width + j] = (byte) (1 + r.nextInt(255));
                }
            }
        }
        return new ByteMat(px, 3, n, width, code, Precision.FLOAT64);
    }

    private static Mat random(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Mat m = Mat.zeros(rows, cols);
        for (int i = 0; i < rows * cols; i++) {
            m.data()[i] = r.nextGaussian();
        }
        return m;
    }

    @Test
    void productsHaveTheBitsOfTheirDocumentedOrder() {
        for (int k : new int[]{1, 3, 8, 13, 100}) {
            for (ByteMat.Code code : ByteMat.Code.values()) {
                ByteMat x = bytes(45, 61, 0.2, code, k);
                SparseMat s = SparseMat.of(x);
                assertNotNull(s);
                Mat w = random(x.cols(), k, 7);
                Mat h = Mat.zeros(x.rows(), k);
                s.times(w, h);
                for (int i = 0; i < x.rows(); i++) {
                    for (int c = 0; c < k; c++) {
                        double sum = 0.0;
                        for (int j = 0; j < x.cols(); j++) {
                            double v = x.get(i, j);
                            if (v != 0) {
                                sum = sum + v * w.get(j, c);
                            }
                        }
                        assertEquals(Double.doubleToLongBits(sum), Double.doubleToLongBits(h.get(i, c)),
                                "x·W (" + i + ", " + c + "), k " + k);
                    }
                }
                Mat dh = random(x.rows(), k, 11);
                Mat dW = random(x.cols(), k, 13);
                Mat expected = dW.copyRows(0, dW.rows());
                s.transposeTimesAdd(dh, dW);
                for (int j = 0; j < x.cols(); j++) {
                    for (int c = 0; c < k; c++) {
                        double sum = expected.get(j, c);
                        for (int i = 0; i < x.rows(); i++) {
                            double v = x.get(i, j);
                            if (v != 0) {
                                sum = sum + v * dh.get(i, c);
                            }
                        }
                        assertEquals(Double.doubleToLongBits(sum), Double.doubleToLongBits(dW.get(j, c)),
                                "dW (" + j + ", " + c + "), k " + k);
                    }
                }
            }
        }
    }

    @Test
    void productsAgreeWithTheDenseOnes() {
        ByteMat x = bytes(300, 784, 0.19, ByteMat.Code.PIXEL, 5);
        SparseMat s = SparseMat.of(x);
        Mat dense = ((Mat) x.expand()).copyRows(0, x.rows());
        Mat w = random(785, 100, 1);
        Mat h = Mat.zeros(300, 100);
        Mat hDense = Mat.zeros(300, 100);
        s.times(w, h);
        Blas.gemm(1.0, dense, false, w, false, 0.0, hDense);
        assertClose(hDense, h, 1e-12);
        Mat dh = random(300, 100, 2);
        Mat dW = Mat.zeros(785, 100);
        Mat dWDense = Mat.zeros(785, 100);
        s.transposeTimesAdd(dh, dW);
        Blas.gemm(1.0, dense, true, dh, false, 1.0, dWDense);
        assertClose(dWDense, dW, 1e-12);
    }

    @Test
    void denseOrSinglePrecisionBytesTakeTheDenseProducts() {
        assertNull(SparseMat.of(bytes(20, 30, 0.9, ByteMat.Code.PIXEL, 1)), "90 % non-zero");
        ByteMat sparse = bytes(20, 30, 0.1, ByteMat.Code.PIXEL, 1);
        assertNotNull(SparseMat.of(sparse));
        ByteMat single = (ByteMat) Precision.FLOAT32.convert(sparse);
        assertNull(SparseMat.of(single));
        byte[] labels = new byte[20];
        assertInstanceOf(FMat.class, Batch.ofBytes(single.data(), 30, labels, 0, 20, Precision.FLOAT32)
                .forProducts().x());
        SparseMat s = SparseMat.of(sparse);
        assertEquals(sparse.get(4, 7), s.get(4, 7), 0.0);
        assertEquals(1.0, s.get(4, 30), 0.0);
        assertEquals(sparse, Precision.FLOAT64.convert(s));
    }

    @Test
    void aModelStepOnTheSparseProductsAgreesWithTheDenseStep() {
        Mlp model = Mlp.seed(100);
        ByteMat x = bytes(200, 784, 0.19, ByteMat.Code.PIXEL, 9);
        int[] labels = new int[200];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        double[] params = new double[model.layout().paramCount()];
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < params.length; i++) {
            params[i] = r.nextGaussian() * 0.05;
        }
        double[] gSparse = new double[params.length];
        double[] gDense = new double[params.length];
        Batch b = new Batch(x, labels);
        Batch sparse = b.forProducts();
        assertInstanceOf(SparseMat.class, sparse.x());
        double lossSparse = model.lossAndGradient(params, sparse.x(), labels, Trace.allocate(model.layout(), 200),
                gSparse).lossSum();
        Mat dense = ((Mat) b.expanded().x()).copyRows(0, 200);
        double lossDense = model.lossAndGradient(params, dense, labels, Trace.allocate(model.layout(), 200), gDense)
                .lossSum();
        assertEquals(lossDense, lossSparse, 1e-12 * Math.abs(lossDense));
        double max = 0;
        for (double g : gDense) {
            max = Math.max(max, Math.abs(g));
        }
        for (int i = 0; i < params.length; i++) {
            assertEquals(gDense[i], gSparse[i], 1e-12 * max, "gradient " + i);
        }
    }

    private static void assertClose(Mat expected, Mat actual, double relative) {
        double max = 0;
        for (int i = 0; i < expected.rows() * expected.cols(); i++) {
            max = Math.max(max, Math.abs(expected.data()[i]));
        }
        for (int i = 0; i < expected.rows(); i++) {
            for (int j = 0; j < expected.cols(); j++) {
                assertEquals(expected.get(i, j), actual.get(i, j), relative * max, "(" + i + ", " + j + ")");
            }
        }
    }
}
