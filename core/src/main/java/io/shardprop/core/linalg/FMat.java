package io.shardprop.core.linalg;

/**
 * A dense row-major float32 matrix view, the float counterpart of {@link Mat}: element (i, j) lives at
 * {@code data[offset + i * cols + j]}. Used only on the hot path of {@code --precision float32}; parameters,
 * gradients and every other activation stay in double.
 *
 * @param data   the backing array (not copied)
 * @param offset index of element (0, 0)
 * @param rows   number of rows
 * @param cols   number of columns (also the leading dimension)
 */
public record FMat(float[] data, int offset, int rows, int cols) implements Inputs {

    public FMat {
        if (rows < 0 || cols < 0 || offset < 0 || (long) offset + (long) rows * cols > data.length) {
            throw new IllegalArgumentException("FMat: [" + rows + " x " + cols + "] at offset " + offset
                    + " does not fit in an array of " + data.length);
        }
    }

    /** A new zero matrix of the given shape. */
    public static FMat zeros(int rows, int cols) {
        return new FMat(new float[Math.multiplyExact(rows, cols)], 0, rows, cols);
    }

    /** {@code m} rounded to the nearest float32, element by element, as a new matrix. */
    public static FMat of(Mat m) {
        FMat f = zeros(m.rows(), m.cols());
        round(m, f);
        return f;
    }

    /** {@code dst = float32(src)} (round to nearest); same shapes. */
    public static void round(Mat src, FMat dst) {
        dst.requireShape("FMat.round: dst", src.rows(), src.cols());
        double[] s = src.data();
        float[] d = dst.data;
        for (int i = 0, n = src.size(), so = src.offset(), o = dst.offset; i < n; i++) {
            d[o + i] = (float) s[so + i];
        }
    }

    /** {@code dst += src}, widened to double (exactly); same shapes. */
    public static void addTo(FMat src, Mat dst) {
        dst.requireShape("FMat.addTo: dst", src.rows, src.cols);
        float[] s = src.data;
        double[] d = dst.data();
        for (int i = 0, n = src.size(), so = src.offset, o = dst.offset(); i < n; i++) {
            d[o + i] += s[so + i];
        }
    }

    /** {@code dst = src}, widened to double (exactly); same shapes. */
    public static void widen(FMat src, Mat dst) {
        dst.requireShape("FMat.widen: dst", src.rows, src.cols);
        float[] s = src.data;
        double[] d = dst.data();
        for (int i = 0, n = src.size(), so = src.offset, o = dst.offset(); i < n; i++) {
            d[o + i] = s[so + i];
        }
    }

    /** Number of elements, {@code rows * cols}. */
    public int size() {
        return rows * cols;
    }

    @Override
    public double get(int i, int j) {
        return data[offset + i * cols + j];
    }

    /** The first {@code n} rows, sharing this view's array. */
    public FMat topRows(int n) {
        if (n > rows) {
            throw new IllegalArgumentException("FMat.topRows: " + n + " > " + rows + " rows");
        }
        return new FMat(data, offset, n, cols);
    }

    @Override
    public FMat copyRows(int first, int n) {
        if (first < 0 || n < 0 || first + n > rows) {
            throw new IllegalArgumentException("FMat.copyRows: rows [" + first + ", " + (first + n) + ") of " + rows);
        }
        return new FMat(java.util.Arrays.copyOfRange(data, offset + first * cols, offset + (first + n) * cols), 0, n, cols);
    }

    @Override
    public String toString() {
        return "FMat" + shape();
    }
}
