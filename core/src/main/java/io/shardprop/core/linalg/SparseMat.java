package io.shardprop.core.linalg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A block's non-zero inputs in float64, row by row (compressed sparse rows), the bias's column of ones included
 * as each row's last entry: what the first layer's two products run on when few inputs are non-zero (an MNIST
 * image: 19 %), from a byte cache or a float64 one alike. {@code x·W} and {@code xᵀ·dh} then cost a fifth of the
 * dense products.
 *
 * <p>Both products are plain multiplies and adds in a fixed order, so their bits are the same on every CPU, BLAS
 * and vector width: row {@code i} of {@code x·W} is {@code ((0 + x[i,k1]·W[k1]) + x[i,k2]·W[k2]) + …} over the
 * row's non-zero columns in increasing order; row {@code k} of {@code xᵀ·dh} adds {@code x[i,k]·dh[i]} for
 * {@code i} in increasing order. (A sum of products that skips zero terms equals one that adds them, except that
 * {@code -0.0} may become {@code +0.0}.)
 *
 * <p>Made by {@link #of} into this thread's buffers: valid until the thread's next {@code of}, like
 * {@link ByteMat#expand()}.
 *
 * @param source the bytes or the float64 matrix (for {@link #get} and the shape)
 * @param start  row {@code i}'s entries are {@code [start[i], start[i + 1])}
 * @param columns each entry's column (the ones column is {@code source.width()})
 * @param values each entry's value
 */
public record SparseMat(Inputs source, int[] start, int[] columns, double[] values) implements Inputs {

    /**
     * Blocks with more non-zero bytes than this share take the dense products ({@link ByteMat#expand()}): at
     * 19 % the sparse products took 0.6 of the dense ones' time here, so they break even near 30 %.
     */
    public static final double MAX_DENSITY = 0.3;

    /**
     * Whether the loops run on the Vector API (the JVM has {@code jdk.incubator.vector}: Spark's launcher adds it, so
     * do ShardProp's scripts); the same operations lane by lane, so the same bits either way.
     */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    /**
     * {@code x}'s non-zero values, or null when {@code x} is float32 or more than {@link #MAX_DENSITY} of its bytes
     * are non-zero (then the dense products are faster).
     */
    public static SparseMat of(ByteMat x) {
        if (x.precision() != Precision.FLOAT64) {
            return null;
        }
        int rows = x.rows();
        int width = x.width();
        long limit = (long) (MAX_DENSITY * rows * width) + rows;
        if (limit > Integer.MAX_VALUE - 8) {
            return null;
        }
        Buffers buf = Buffers.get(rows + 1, (int) limit + width + 1);
        int[] start = buf.start;
        int[] cols = buf.cols;
        double[] values = buf.values;
        double[] table = ByteMat.values64(x.code());
        byte[] data = x.data();
        int p = 0;
        for (int i = 0; i < rows; i++) {
            start[i] = p;
            if (p > limit) {
                return null;
            }
            int src = x.offset() + i * width;
            int j = 0;
            for (; j + 8 <= width; j += 8) {
                long word = (long) LONGS.get(data, src + j);
                while (word != 0) {  // its non-zero bytes, lowest address first
                    int b = Long.numberOfTrailingZeros(word) >>> 3;
                    cols[p] = j + b;
                    values[p++] = table[(int) (word >>> (b << 3)) & 0xFF];
                    word &= ~(0xFFL << (b << 3));
                }
            }
            for (; j < width; j++) {
                int v = data[src + j] & 0xFF;
                if (v != 0) {
                    cols[p] = j;
                    values[p++] = table[v];
                }
            }
            cols[p] = width;  // the bias's column of ones
            values[p++] = 1.0;
        }
        start[rows] = p;
        return new SparseMat(x, start, cols, values);
    }

    /**
     * The non-zero values of a float64 matrix (its last column the ones), as {@link #of(ByteMat)} gives them for
     * the same values in bytes, or null when more than {@link #MAX_DENSITY} of them are non-zero: a float64 cache
     * and a byte cache of the same images take the same products and give the same bits.
     */
    public static SparseMat of(Mat x) {
        int rows = x.rows();
        int width = x.cols() - 1;
        long limit = (long) (MAX_DENSITY * rows * width) + rows;
        if (width < 0 || limit > Integer.MAX_VALUE - 8) {
            return null;
        }
        Buffers buf = Buffers.get(rows + 1, (int) limit + width + 1);
        int[] start = buf.start;
        int[] cols = buf.cols;
        double[] values = buf.values;
        double[] data = x.data();
        int p = 0;
        for (int i = 0; i < rows; i++) {
            start[i] = p;
            if (p > limit) {
                return null;
            }
            int src = x.offset() + i * x.cols();
            for (int j = 0; j <= width; j++) {  // written always, kept if non-zero: no branch to mispredict
                double v = data[src + j];
                cols[p] = j;
                values[p] = v;
                p += v != 0 ? 1 : 0;
            }
        }
        start[rows] = p;
        return new SparseMat(x, start, cols, values);
    }

    @Override
    public int rows() {
        return source.rows();
    }

    @Override
    public int cols() {
        return source.cols();
    }

    /** Element (i, j), from the bytes. */
    @Override
    public double get(int i, int j) {
        return source.get(i, j);
    }

    /** The rows of the source (not a sparse copy: the sparse form lives in a thread's buffers). */
    @Override
    public Inputs copyRows(int first, int n) {
        return source.copyRows(first, n);
    }

    /** Number of entries (non-zero values and the ones). */
    public int entries() {
        return start[rows()];
    }

    /** {@code h = x·W}, {@code W [cols x k]}, {@code h [rows x k]}. {@code h} modified. */
    public void times(Mat w, Mat h) {
        int k = w.cols();
        double[] wd = w.data();
        double[] hd = h.data();
        int rows = rows();
        for (int i = 0; i < rows; i++) {
            int hOff = h.offset() + i * k;
            java.util.Arrays.fill(hd, hOff, hOff + k, 0.0);
            int q = start[i];
            int end = start[i + 1];
            for (; q + 4 <= end; q += 4) {  // four terms per pass over the row: same order as one by one
                addFour(hd, hOff, k, wd, w.offset() + columns[q] * k, values[q], w.offset() + columns[q + 1] * k,
                        values[q + 1], w.offset() + columns[q + 2] * k, values[q + 2], w.offset() + columns[q + 3] * k,
                        values[q + 3]);
            }
            for (; q < end; q++) {
                addOne(hd, hOff, k, wd, w.offset() + columns[q] * k, values[q]);
            }
        }
    }

    /** {@code dW += xᵀ·dh}, {@code dh [rows x k]}, {@code dW [cols x k]}. {@code dW} modified. */
    public void transposeTimesAdd(Mat dh, Mat dW) {
        int k = dh.cols();
        double[] dhd = dh.data();
        double[] dwd = dW.data();
        int rows = rows();
        for (int i = 0; i < rows; i++) {
            int hOff = dh.offset() + i * k;
            int q = start[i];
            int end = start[i + 1];
            for (; q + 4 <= end; q += 4) {
                scatterFour(dhd, hOff, k, dwd, dW.offset() + columns[q] * k, values[q], dW.offset() + columns[q + 1] * k,
                        values[q + 1], dW.offset() + columns[q + 2] * k, values[q + 2], dW.offset() + columns[q + 3] * k,
                        values[q + 3]);
            }
            for (; q < end; q++) {
                addOne(dwd, dW.offset() + columns[q] * k, k, dhd, hOff, values[q]);
            }
        }
    }

    /** {@code y[yOff..+k] += a·x[xOff..+k]}, element by element (multiply, then add). */
    private static void addOne(double[] y, int yOff, int k, double[] x, int xOff, double a) {
        int j = VECTOR ? SparseVectors.addOne(y, yOff, k, x, xOff, a) : 0;
        for (; j < k; j++) {
            y[yOff + j] += a * x[xOff + j];
        }
    }

    /** {@code y += a1·w[o1] + a2·w[o2] + a3·w[o3] + a4·w[o4]}, added in that order. */
    private static void addFour(double[] y, int yOff, int k, double[] w, int o1, double a1, int o2, double a2,
                                int o3, double a3, int o4, double a4) {
        int j = VECTOR ? SparseVectors.addFour(y, yOff, k, w, o1, a1, o2, a2, o3, a3, o4, a4) : 0;
        for (; j < k; j++) {
            y[yOff + j] = y[yOff + j] + a1 * w[o1 + j] + a2 * w[o2 + j] + a3 * w[o3 + j] + a4 * w[o4 + j];
        }
    }

    /** {@code w[o1] += a1·d; … w[o4] += a4·d} with {@code d = x[xOff..+k]}. */
    private static void scatterFour(double[] x, int xOff, int k, double[] w, int o1, double a1, int o2, double a2,
                                    int o3, double a3, int o4, double a4) {
        int j = VECTOR ? SparseVectors.scatterFour(x, xOff, k, w, o1, a1, o2, a2, o3, a3, o4, a4) : 0;
        for (; j < k; j++) {
            double d = x[xOff + j];
            w[o1 + j] += a1 * d;
            w[o2 + j] += a2 * d;
            w[o3 + j] += a3 * d;
            w[o4 + j] += a4 * d;
        }
    }

    /** This thread's buffers, grown to the largest block it has seen. */
    private static final class Buffers {
        private static final ThreadLocal<Buffers> BUFFERS = new ThreadLocal<>();
        final int[] start;
        final int[] cols;
        final double[] values;

        private Buffers(int rows, int entries) {
            start = new int[rows];
            cols = new int[entries];
            values = new double[entries];
        }

        static Buffers get(int rows, int entries) {
            Buffers b = BUFFERS.get();
            if (b == null || b.start.length < rows || b.cols.length < entries) {
                b = new Buffers(Math.max(rows, b == null ? 0 : b.start.length),
                        Math.max(entries, b == null ? 0 : b.cols.length));
                BUFFERS.set(b);
            }
            return b;
        }
    }
}
