package io.shardprop.core.linalg;

import java.util.Arrays;

/**
 * Inputs cached as one unsigned byte a value, for the values a byte holds without loss: {@code rows} rows of
 * {@code width} bytes, each row followed by the bias's column of ones (implicit, not stored), so the matrix is
 * {@code [rows x (width + 1)]} for 1 byte a value instead of 4 or 8. {@link #expand()} turns it into the float
 * matrix the products run on, value for value the one a float cache holds: byte {@code k} is {@code k / 255.0}
 * ({@link Code#PIXEL}: IDX images, {@code pixel/255} features) or {@code k} ({@link Code#INTEGER}: features that
 * are integers 0–255), rounded to float32 for {@link Precision#FLOAT32} as the float32 cache rounds them.
 *
 * @param data      row-major bytes, {@code width} a row (not copied)
 * @param offset    index of element (0, 0)
 * @param rows      number of rows
 * @param width     stored values a row (the matrix has one more column, the ones)
 * @param code      what a byte stands for
 * @param precision the precision of {@link #expand()}'s matrix
 */
public record ByteMat(byte[] data, int offset, int rows, int width, Code code, Precision precision) implements Inputs {

    /** What byte {@code k} stands for. */
    public enum Code {
        /** {@code k / 255.0}: an image's pixel scaled to [0, 1]. */
        PIXEL(255.0),
        /** {@code k}: an integer feature 0–255. */
        INTEGER(1.0);

        private final double divisor;

        Code(double divisor) {
            this.divisor = divisor;
        }

        /** The value byte {@code k} (0–255) stands for. */
        public double value(int k) {
            return Tables.VALUE64[ordinal()][k];
        }

        /**
         * The byte that stands for {@code v} exactly, or -1 if none does (a float cache would then hold a value
         * no byte gives back).
         */
        public int byteOf(double v) {
            double k = Math.rint(v * divisor);
            if (!(k >= 0 && k <= 255)) {  // NaN too
                return -1;
            }
            return value((int) k) == v && Double.doubleToRawLongBits(v) != Long.MIN_VALUE ? (int) k : -1;
        }
    }

    public ByteMat {
        if (rows < 0 || width < 0 || offset < 0 || (long) offset + (long) rows * width > data.length) {
            throw new IllegalArgumentException("ByteMat: [" + rows + " x " + width + "] at offset " + offset
                    + " does not fit in an array of " + data.length);
        }
    }

    @Override
    public int cols() {
        return width + 1;
    }

    /** Element (i, j) as {@link #expand()} gives it, widened to double. */
    @Override
    public double get(int i, int j) {
        if (i < 0 || i >= rows || j < 0 || j > width) {
            throw new IndexOutOfBoundsException("ByteMat: (" + i + ", " + j + ") outside " + shape());
        }
        if (j == width) {
            return 1.0;
        }
        int k = data[offset + i * width + j] & 0xFF;
        return precision == Precision.FLOAT32 ? Tables.VALUE32[code.ordinal()][k] : code.value(k);
    }

    @Override
    public ByteMat copyRows(int first, int n) {
        int from = offset + first * width;
        return new ByteMat(Arrays.copyOfRange(data, from, from + n * width), 0, n, width, code, precision);
    }

    /**
     * The matrix in {@link #precision()}, ones column included, in this thread's buffer: valid until the thread's
     * next {@code expand}, which overwrites it (a step expands its blocks one at a time).
     */
    public Inputs expand() {
        int cols = width + 1;
        int n = Math.multiplyExact(rows, cols);
        if (precision == Precision.FLOAT32) {
            float[] out = Buffers.floats(n);
            float[] table = Tables.VALUE32[code.ordinal()];
            for (int i = 0; i < rows; i++) {
                int src = offset + i * width;
                int dst = i * cols;
                for (int j = 0; j < width; j++) {
                    out[dst + j] = table[data[src + j] & 0xFF];
                }
                out[dst + width] = 1f;
            }
            return new FMat(out, 0, rows, cols);
        }
        double[] out = Buffers.doubles(n);
        double[] table = Tables.VALUE64[code.ordinal()];
        for (int i = 0; i < rows; i++) {
            int src = offset + i * width;
            int dst = i * cols;
            for (int j = 0; j < width; j++) {
                out[dst + j] = table[data[src + j] & 0xFF];
            }
            out[dst + width] = 1.0;
        }
        return new Mat(out, 0, rows, cols);
    }

    /** Value {@code k} of {@code code} in float64 at index {@code k} (shared, not to modify): for {@link SparseMat}. */
    static double[] values64(Code code) {
        return Tables.VALUE64[code.ordinal()];
    }

    /**
     * What each byte stands for, by code: static, so that Spark's size estimate of a cached block does not count
     * these tables with every partition.
     */
    private static final class Tables {
        static final double[][] VALUE64 = new double[Code.values().length][256];
        static final float[][] VALUE32 = new float[Code.values().length][256];

        static {
            for (Code c : Code.values()) {
                for (int k = 0; k < 256; k++) {
                    VALUE64[c.ordinal()][k] = k / c.divisor;  // k / 255.0 as the float caches compute it; k / 1.0 = k
                    VALUE32[c.ordinal()][k] = (float) VALUE64[c.ordinal()][k];
                }
            }
        }
    }

    /** Each thread's expansion buffer, grown to the largest block it has expanded. */
    private static final class Buffers {
        private static final ThreadLocal<double[]> DOUBLES = new ThreadLocal<>();
        private static final ThreadLocal<float[]> FLOATS = new ThreadLocal<>();

        static double[] doubles(int n) {
            double[] b = DOUBLES.get();
            if (b == null || b.length < n) {
                b = new double[n];
                DOUBLES.set(b);
            }
            return b;
        }

        static float[] floats(int n) {
            float[] b = FLOATS.get();
            if (b == null || b.length < n) {
                b = new float[n];
                FLOATS.set(b);
            }
            return b;
        }
    }
}
