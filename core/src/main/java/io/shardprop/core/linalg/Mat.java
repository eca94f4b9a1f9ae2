package io.shardprop.core.linalg;

/**
 * A dense row-major matrix view: element (i, j) lives at {@code data[offset + i * cols + j]}.
 *
 * <p>Row-major is numpy's C order, so a view over the flat parameter vector has exactly the layout
 * of the {@code .npy} file it is saved to, and the formulas read as in the notebook
 * ({@code h = x·W} with samples as rows). The view does not own its array; several views may share one.
 *
 * @param data   the backing array (not copied)
 * @param offset index of element (0, 0)
 * @param rows   number of rows
 * @param cols   number of columns (also the leading dimension: rows are contiguous)
 */
public record Mat(double[] data, int offset, int rows, int cols) implements Inputs {

    public Mat {
        if (rows < 0 || cols < 0 || offset < 0 || (long) offset + (long) rows * cols > data.length) {
            throw new IllegalArgumentException("Mat: [" + rows + " x " + cols + "] at offset " + offset
                    + " does not fit in an array of " + data.length);
        }
    }

    /** A new zero matrix of the given shape. */
    public static Mat zeros(int rows, int cols) {
        return new Mat(new double[Math.multiplyExact(rows, cols)], 0, rows, cols);
    }

    /** A view of a whole array as a {@code rows x cols} matrix. */
    public static Mat of(int rows, int cols, double... data) {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("Mat.of: [" + rows + " x " + cols + "] needs "
                    + (long) rows * cols + " values, got " + data.length);
        }
        return new Mat(data, 0, rows, cols);
    }

    /** Number of elements, {@code rows * cols}. */
    public int size() {
        return rows * cols;
    }

    @Override
    public double get(int i, int j) {
        return data[offset + i * cols + j];
    }

    public void set(int i, int j, double v) {
        data[offset + i * cols + j] = v;
    }

    /** The first {@code n} rows, sharing this view's array (rows are contiguous). */
    public Mat topRows(int n) {
        if (n > rows) {
            throw new IllegalArgumentException("Mat.topRows: " + n + " > " + rows + " rows");
        }
        return new Mat(data, offset, n, cols);
    }

    @Override
    public Mat copyRows(int first, int n) {
        if (first < 0 || n < 0 || first + n > rows) {
            throw new IllegalArgumentException("Mat.copyRows: rows [" + first + ", " + (first + n) + ") of " + rows);
        }
        return new Mat(java.util.Arrays.copyOfRange(data, offset + first * cols, offset + (first + n) * cols), 0, n, cols);
    }

    /** Sets every element to zero. */
    public void fillZero() {
        java.util.Arrays.fill(data, offset, offset + size(), 0.0);
    }

    /** A compact copy of this view's elements in row-major order. */
    public double[] toArray() {
        return java.util.Arrays.copyOfRange(data, offset, offset + size());
    }

    /** Throws unless this matrix is {@code rows x cols}; {@code what} names it in the message. */
    @Override
    public Mat requireShape(String what, int rows, int cols) {
        if (this.rows != rows || this.cols != cols) {
            throw new IllegalArgumentException(what + " is " + shape() + ", expected [" + rows + " x " + cols + "]");
        }
        return this;
    }

    /** The shape as {@code [rows x cols]}, for messages. */
    @Override
    public String shape() {
        return "[" + rows + " x " + cols + "]";
    }

    @Override
    public String toString() {
        return "Mat" + shape();
    }
}
