package io.shardprop.core.data;

import io.shardprop.core.linalg.FMat;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.linalg.Mat;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeformationTest {

    static final int H = 5;
    static final int W = 7;

    /** {@code n} images of distinct non-zero values (row i, pixel p: 1 + i * 100 + p) and the bias column's ones. */
    static Mat images(int n, int h, int w) {
        Mat m = Mat.zeros(n, h * w + 1);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < h * w; p++) {
                m.set(i, p, 1 + i * 100 + p);
            }
            m.set(i, h * w, 1.0);
        }
        return m;
    }

    static Mat images(int n) {
        return images(n, H, W);
    }

    /** The move of row {@code i}: where its image's pixel (2, 3) went. */
    static int[] move(Inputs in, Inputs out, int i) {
        double v = in.get(i, 2 * W + 3);
        for (int p = 0; p < H * W; p++) {
            if (out.get(i, p) == v) {
                return new int[]{p / W - 2, p % W - 3};
            }
        }
        throw new AssertionError("row " + i + ": pixel (2, 3) is gone");
    }

    /** {@code (h + 2) x (w + 2)}: the image with a border of zeros, as {@link Warp#resample} reads it. */
    static float[] padded(float[] image, int h, int w) {
        float[] p = new float[(h + 2) * (w + 2)];
        for (int r = 0; r < h; r++) {
            System.arraycopy(image, r * w, p, (r + 1) * (w + 2) + 1, w);
        }
        return p;
    }

    /** The first {@code n} values of row 0 of {@code m}, as float32. */
    static float[] image(Mat m, int n) {
        float[] f = new float[n];
        for (int p = 0; p < n; p++) {
            f[p] = (float) m.get(0, p);
        }
        return f;
    }

    /** A constant field of {@code (dx, dy)} on {@code H x W} images, as {@link Warp#resample} reads it. */
    static float[] field(float dx, float dy) {
        float[] f = new float[H * 2 * W];
        for (int i = 0; i < H; i++) {
            Arrays.fill(f, i * 2 * W, i * 2 * W + W, dx);
            Arrays.fill(f, i * 2 * W + W, (i + 1) * 2 * W, dy);
        }
        return f;
    }

    /** Every row is its image moved by one (dy, dx) within max, uncovered pixels 0, the bias column kept. */
    @Test
    void everyImageIsMovedWholeByAtMostMaxPixelsWithZerosWhereItUncovers() {
        Mat in = images(300);
        Inputs out = Deformation.shift(H, W, 2).apply(in, 0, 42);
        Set<String> moves = new HashSet<>();
        for (int i = 0; i < in.rows(); i++) {
            int[] d = move(in, out, i);
            assertTrue(Math.abs(d[0]) <= 2 && Math.abs(d[1]) <= 2, "row " + i + " moved by " + d[0] + ", " + d[1]);
            moves.add(d[0] + "," + d[1]);
            for (int r = 0; r < H; r++) {
                for (int c = 0; c < W; c++) {
                    int sr = r - d[0];
                    int sc = c - d[1];
                    double want = sr >= 0 && sr < H && sc >= 0 && sc < W ? in.get(i, sr * W + sc) : 0.0;
                    assertEquals(want, out.get(i, r * W + c), "row " + i + " pixel (" + r + ", " + c + ")");
                }
            }
            assertEquals(1.0, out.get(i, H * W), "the bias column");
        }
        assertEquals(25, moves.size(), "all 5 x 5 moves occur in 300 rows");
        assertArrayEquals(images(300).toArray(), in.toArray(), "the input is left as it was");
    }

    /** The row-copy translation is the resampling's special case, bit for bit. */
    @Test
    void aWholePixelTranslationCopiesExactlyWhatTheResamplingReads() {
        float[] image = image(images(1), H * W);
        for (int dy = -H; dy <= H; dy++) {
            for (int dx = -W; dx <= W; dx++) {
                float[] copied = new float[H * W];
                Warp.translate(image, 0, copied, 0, H, W, dy, dx);
                float[] resampled = new float[H * W];
                Warp.resample(padded(image, H, W), H, W, 1, 0, 0, 1, dx, dy, null, 0, resampled);
                assertArrayEquals(copied, resampled, "move " + dy + ", " + dx);
            }
        }
    }

    @Test
    void theIdentityMapAndAZeroFieldReturnTheImageBitForBit() {
        float[] image = new float[28 * 28];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int p = 0; p < image.length; p++) {
            image[p] = (float) (rnd.nextDouble() * 7 - 3);
        }
        float[] out = new float[image.length];
        Warp.resample(padded(image, 28, 28), 28, 28, 1, 0, 0, 1, 0, 0, new float[2 * 28 * 32], 64, out);
        assertArrayEquals(image, out);
        Mat in = images(4, 28, 28);
        Deformation noField = new Deformation(28, 28, 0, 4.0, 0.0, 0, 0, 0);
        assertSame(in, noField.apply(in, 0, 9), "alpha 0 without an affine part is the identity");
    }

    /** A constant field of (2, -1) reads every pixel 2 columns right and 1 row up: the image moves left 2, down 1. */
    @Test
    void aConstantFieldMovesTheImageByExactlyThatManyPixels() {
        float[] image = image(images(1), H * W);
        float[] out = new float[H * W];
        Warp.resample(padded(image, H, W), H, W, 1, 0, 0, 1, 0, 0, field(2f, -1f), 2 * W, out);
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < W; c++) {
                int sr = r - 1;
                int sc = c + 2;
                double want = sr >= 0 && sc < W ? image[sr * W + sc] : 0.0;
                assertEquals(want, out[r * W + c], "pixel (" + r + ", " + c + ")");
            }
        }
        float[] half = new float[H * W];
        Warp.resample(padded(image, H, W), H, W, 1, 0, 0, 1, 0, 0, field(0.5f, 0f), 2 * W, half);
        assertEquals((image[0] + image[1]) / 2, half[0], 1e-5, "half a pixel: the mean of two neighbours");
        assertEquals(image[W - 1] / 2, half[W - 1], 1e-5, "half a pixel past the edge: the mean with a zero");
    }

    /** Rotating a square image by 90° about its centre is its transpose flipped, to rounding. */
    @Test
    void aQuarterTurnIsTheTransposedFlip() {
        int n = 6;
        float[] image = image(images(1, n, n), n * n);
        float c = (float) Math.cos(Math.PI / 2);
        float s = (float) Math.sin(Math.PI / 2);
        float[] out = new float[n * n];
        Warp.resample(padded(image, n, n), n, n, c, -s, s, c, 0, 0, null, 0, out);
        for (int r = 0; r < n; r++) {
            for (int col = 0; col < n; col++) {
                // M (x, y) = (-y, x) about the centre: out(r, col) = in(row col, column n - 1 - r)
                assertEquals(image[col * n + (n - 1 - r)], out[r * n + col], 1e-12, "pixel (" + r + ", " + col + ")");
            }
        }
    }

    /** The eigenbasis field has Simard's covariance: Bh Bhᵀ = Gh Ghᵀ but for the dropped modes (under 0.5 %). */
    @Test
    void theElasticFieldHasTheCovarianceOfSmoothedUniformNoise() {
        for (double sigma : new double[]{2.0, 4.0, 6.0}) {
            int n = 28;
            double[] b = ElasticField.basis(n, sigma);
            int k = b.length / n;
            int radius = (int) Math.ceil(4 * sigma);
            double sum = 0;
            for (int d = -radius; d <= radius; d++) {
                sum += Math.exp(-0.5 * d * d / (sigma * sigma));
            }
            double worst = 0;
            double top = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double gg = 0;  // (G Gᵀ)_ij
                    for (int a = 0; a < n; a++) {
                        int d1 = Math.abs(i - a);
                        int d2 = Math.abs(j - a);
                        if (d1 <= radius && d2 <= radius) {
                            gg += Math.exp(-0.5 * (d1 * d1 + d2 * d2) / (sigma * sigma)) / (sum * sum);
                        }
                    }
                    double bb = 0;
                    for (int a = 0; a < k; a++) {
                        bb += b[i * k + a] * b[j * k + a];
                    }
                    worst = Math.max(worst, Math.abs(gg - bb));
                    top = Math.max(top, gg);
                }
            }
            assertTrue(worst <= 5e-3 * top, "sigma " + sigma + ": " + k + " modes, covariance off by " + worst / top);
            assertTrue(k < n && (sigma < 4 || k <= 10), "sigma " + sigma + ": " + k + " modes");
        }
    }

    /** The Vector API's kernel and the plain loop give the same bits, so the field does not depend on the JVM. */
    @Test
    void theVectorKernelAndThePlainLoopAgreeBitForBit() {
        assertTrue(Rows.VECTOR, "the tests run with jdk.incubator.vector, as Spark does");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(2);
        for (int n : new int[]{5, 16, 28, 32, 64, 67}) {
            int k = 7;
            float[] c = new float[k + 3];
            float[] rows = new float[k * n];
            for (int i = 0; i < c.length; i++) {
                c[i] = (float) rnd.nextGaussian();
            }
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (float) rnd.nextGaussian();
            }
            float[] vector = new float[n + 2];
            float[] plain = new float[n + 2];
            Rows.combine(c, 3, k, rows, n, vector, 2, n);
            Rows.scalar(c, 3, k, rows, n, plain, 2, n, 0);
            assertArrayEquals(plain, vector, "n = " + n);
        }
    }

    @Test
    void theSameSeedGivesTheSameDeformationsInBothPrecisionsAnotherSeedOthers() {
        for (Deformation d : new Deformation[]{Deformation.shift(H, W, 1),
                new Deformation(28, 28, 1, 4.0, 34.0, 15, 0.15, 15)}) {
            Mat in = images(50, d.height(), d.width());
            Mat a = (Mat) d.apply(in, 0, 7);
            assertArrayEquals(a.toArray(), ((Mat) d.apply(in, 0, 7)).toArray());
            assertFalse(Arrays.equals(a.toArray(), ((Mat) d.apply(in, 0, 8)).toArray()));
            FMat f = (FMat) d.apply(FMat.of(in), 0, 7);
            for (int i = 0; i < in.rows(); i++) {
                for (int p = 0; p < in.cols(); p++) {
                    assertEquals((float) a.get(i, p), f.get(i, p), 1e-3 * Math.abs(a.get(i, p)),
                            "float32 row " + i + " value " + p);
                }
            }
        }
    }

    /** A sample's deformation depends on the epoch's seed and its index alone, not on the block it is in. */
    @Test
    void aSampleIsDeformedByTheEpochSeedAndItsIndexInAnyBlock() {
        Deformation d = new Deformation(28, 28, 0, 4.0, 34.0, 10, 0.1, 5);
        Mat all = images(30, 28, 28);
        Batch data = new Batch(all, new int[30]);
        double[] whole = ((Mat) d.apply(new Block(0, 0, data), 11).x()).toArray();
        for (int size : new int[]{1, 7, 16}) {
            for (Block b : Block.split(data, size)) {
                double[] part = ((Mat) d.apply(b, 11).x()).toArray();
                int cols = all.cols();
                assertArrayEquals(Arrays.copyOfRange(whole, b.first() * cols, (b.first() + b.data().size()) * cols),
                        part, "block " + b.index() + " of size " + size);
            }
        }
        double[] one = new double[28 * 28];
        d.deform(all.toArray(), 5 * all.cols(), 5, 11, one);
        assertArrayEquals(Arrays.copyOfRange(whole, 5 * all.cols(), 5 * all.cols() + 784), one, "one image alone");
        assertFalse(Arrays.equals(whole, ((Mat) d.apply(all, 1, 11)).toArray()), "another index, another draw");
        assertSame(data, Deformation.NONE.apply(new Block(3, 0, data), 11));
    }

    /** The elastic field moves pixels by about its amplitude's share: some, but not all, pixels change. */
    @Test
    void anElasticFieldMovesPixelsSmoothlyAndKeepsTheBiasColumn() {
        Mat in = images(20, 28, 28);
        Mat out = (Mat) new Deformation(28, 28, 0, 4.0, 34.0, 0, 0, 0).apply(in, 0, 3);
        for (int i = 0; i < 20; i++) {
            assertEquals(1.0, out.get(i, 784));
            int changed = 0;
            for (int p = 0; p < 784; p++) {
                changed += out.get(i, p) != in.get(i, p) ? 1 : 0;
            }
            assertTrue(changed > 392, "row " + i + ": " + changed + " pixels changed");
        }
    }

    @Test
    void noneLeavesInputsAsTheyAreAndBadShapesAreRefused() {
        Mat in = images(3);
        assertSame(in, Deformation.NONE.apply(in, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Deformation.shift(H, W, H));
        assertThrows(IllegalArgumentException.class, () -> Deformation.shift(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Deformation.shift(W, H + 1, 1).apply(in, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Deformation(28, 28, 0, 0.0, 34, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Deformation(28, 28, 0, 4.0, 34, 0, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Deformation(28, 28, 0, 4.0, 34, 0, 0, 90));
    }
}
