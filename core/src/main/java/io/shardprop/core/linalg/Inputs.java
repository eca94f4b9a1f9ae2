package io.shardprop.core.linalg;

/**
 * A model's input matrix, samples as rows: {@link Mat} (float64) or {@link FMat} (float32, for
 * {@code --precision float32}: half the memory and twice the speed of the first layer's products).
 */
public sealed interface Inputs extends java.io.Serializable permits Mat, FMat, ByteMat, SparseMat {

    int rows();

    int cols();

    /** Element (i, j), widened to double. */
    double get(int i, int j);

    /** A compact copy of rows {@code [first, first + n)}, in the same precision. */
    Inputs copyRows(int first, int n);

    /** The shape as {@code [rows x cols]}, for messages. */
    default String shape() {
        return "[" + rows() + " x " + cols() + "]";
    }

    /** Throws unless this matrix is {@code rows x cols}; {@code what} names it in the message. */
    default Inputs requireShape(String what, int rows, int cols) {
        if (rows() != rows || cols() != cols) {
            throw new IllegalArgumentException(what + " is " + shape() + ", expected [" + rows + " x " + cols + "]");
        }
        return this;
    }
}
