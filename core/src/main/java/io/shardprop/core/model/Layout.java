package io.shardprop.core.model;

import io.shardprop.core.linalg.Mat;

/**
 * Shape of the notebook's MLP and where its matrices live in the one flat parameter vector:
 * {@code [W1 | W2]}, each in row-major (numpy C) order, so {@code W1 [inputs x hidden]} starts at 0 and
 * {@code W2 [hidden x classes]} at {@code inputs·hidden}. The gradient vector has the same layout.
 *
 * @param inputs  input width including the ones column (785 for MNIST)
 * @param hidden  hidden width (100 in the notebook)
 * @param classes number of classes (10)
 */
public record Layout(int inputs, int hidden, int classes) implements java.io.Serializable {

    /** MNIST's 28×28 pixels plus the ones column that carries the bias. */
    public static final int MNIST_INPUTS = 28 * 28 + 1;
    public static final int MNIST_CLASSES = 10;

    public Layout {
        if (inputs < 1 || hidden < 1 || classes < 2) {
            throw new IllegalArgumentException("Layout: inputs " + inputs + ", hidden " + hidden
                    + ", classes " + classes + " (need inputs ≥ 1, hidden ≥ 1, classes ≥ 2)");
        }
        Math.multiplyExact(inputs, hidden);
    }

    /** The notebook's MNIST layout with the given hidden width. */
    public static Layout mnist(int hidden) {
        return new Layout(MNIST_INPUTS, hidden, MNIST_CLASSES);
    }

    /** Length of the flat parameter (and gradient) vector. */
    public int paramCount() {
        return Math.addExact(inputs * hidden, hidden * classes);
    }

    /** View of {@code W1 [inputs x hidden]} in a flat vector. */
    public Mat w1(double[] flat) {
        return new Mat(checked(flat), 0, inputs, hidden);
    }

    /** View of {@code W2 [hidden x classes]} in a flat vector. */
    public Mat w2(double[] flat) {
        return new Mat(checked(flat), inputs * hidden, hidden, classes);
    }

    /** A flat vector built from W1 and W2 given separately (copied); shapes are checked. */
    public double[] join(Mat w1, Mat w2) {
        w1.requireShape("W1", inputs, hidden);
        w2.requireShape("W2", hidden, classes);
        double[] flat = new double[paramCount()];
        System.arraycopy(w1.data(), w1.offset(), flat, 0, w1.size());
        System.arraycopy(w2.data(), w2.offset(), flat, w1.size(), w2.size());
        return flat;
    }

    private double[] checked(double[] flat) {
        if (flat.length != paramCount()) {
            throw new IllegalArgumentException("parameter vector has " + flat.length + " values, layout " + this
                    + " needs " + paramCount());
        }
        return flat;
    }
}
