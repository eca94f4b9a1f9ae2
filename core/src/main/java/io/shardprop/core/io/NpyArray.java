package io.shardprop.core.io;

import java.util.Arrays;

/**
 * A float64 array read from, or to be written to, a .npy file.
 *
 * @param shape the sizes, 0 to 2 of them ({@code []} is a scalar); copied, never modified
 * @param data  the elements in C (row-major) order, {@code product(shape)} of them; not copied
 */
public record NpyArray(int[] shape, double[] data) {
    /** @throws IllegalArgumentException if there are more than 2 sizes, a size is negative, or {@code data.length != product(shape)} */
    public NpyArray {
        shape = shape.clone();
        if (shape.length > 2) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2 dimensions");
        }
        if (data.length != Npy.size(shape)) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + Npy.size(shape)
                    + " elements, got " + data.length);
        }
    }

    /** @return the sizes (a copy) */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of rows of a 2-D array */
    public int rows() {
        return require2d()[0];
    }

    /** @return the number of cols of a 2-D array */
    public int cols() {
        return require2d()[1];
    }

    /** @return element ({@code i}, {@code j}) of a 2-D array: {@code data[i * cols + j]} */
    public double get(int i, int j) {
        return data[i * require2d()[1] + j];
    }

    private int[] require2d() {
        if (shape.length != 2) {
            throw new IllegalStateException("array of shape " + Arrays.toString(shape) + " is not 2-D");
        }
        return shape;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && Arrays.equals(shape, a.shape) && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray" + Arrays.toString(shape);
    }
}
