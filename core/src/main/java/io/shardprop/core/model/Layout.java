package io.shardprop.core.model;

import io.shardprop.core.linalg.Mat;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Shape of an MLP and where its matrices live in the one flat parameter vector.
 *
 * <p>Layer {@code l} (0-based, {@code L = hidden.length + 1} layers) maps {@code in(l)} to {@code out(l)}
 * units: {@code in(0) = inputs} (MNIST: 784 pixels plus the constant-1 column that carries the first
 * layer's bias, so W1's last row is that bias), {@code out(L−1) = classes}. Layers after the first have a
 * separate bias vector {@code b} when {@code bias} is set (the notebook's model has none: only the ones
 * column). The flat vector is {@code [W1 | W2 | b2 | … | WL | bL]}, each matrix in row-major (numpy C)
 * order, so a view of it is exactly what is saved to {@code .npy}. The gradient has the same layout.
 *
 * @param inputs  input width including the ones column (785 for MNIST)
 * @param hidden  hidden widths, one per hidden layer (the notebook: {100})
 * @param classes number of classes (10)
 * @param bias    whether layers after the first have a bias vector
 */
public record Layout(int inputs, int[] hidden, int classes, boolean bias) implements Serializable {

    /** MNIST's 28×28 pixels plus the ones column that carries the bias. */
    public static final int MNIST_INPUTS = 28 * 28 + 1;
    public static final int MNIST_CLASSES = 10;

    public Layout {
        hidden = hidden.clone();
        if (inputs < 1 || classes < 1 || hidden.length < 1 || Arrays.stream(hidden).anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("Layout: inputs " + inputs + ", hidden " + Arrays.toString(hidden)
                    + ", classes " + classes + " (need inputs ≥ 1, at least one hidden layer, widths ≥ 1, outputs ≥ 1)");
        }
        long count = 0;
        for (int l = 0; l <= hidden.length; l++) {
            int in = l == 0 ? inputs : hidden[l - 1];
            int out = l == hidden.length ? classes : hidden[l];
            count += (long) in * out + (bias && l > 0 ? out : 0);
        }
        if (count > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("Layout: " + count + " parameters do not fit in one array");
        }
    }

    /** The notebook's model: 785 → hidden → 10, bias only through the ones column. */
    public static Layout mnist(int hidden) {
        return new Layout(MNIST_INPUTS, new int[]{hidden}, MNIST_CLASSES, false);
    }

    /** An MNIST MLP with the given hidden widths; {@code bias} adds bias vectors after the first layer. */
    public static Layout mnist(int[] hidden, boolean bias) {
        return new Layout(MNIST_INPUTS, hidden, MNIST_CLASSES, bias);
    }

    /** Number of weight layers, {@code hidden.length + 1}. */
    public int layers() {
        return hidden.length + 1;
    }

    /** Input width of layer {@code l}. */
    public int in(int l) {
        return l == 0 ? inputs : hidden[l - 1];
    }

    /** Output width of layer {@code l}. */
    public int out(int l) {
        return l == hidden.length ? classes : hidden[l];
    }

    /** Whether layer {@code l} has a bias vector. */
    public boolean hasBias(int l) {
        return bias && l > 0;
    }

    /** Offset of {@code W(l)} in the flat vector; its bias, if any, follows it. */
    public int offset(int l) {
        int off = 0;
        for (int k = 0; k < l; k++) {
            off += in(k) * out(k) + (hasBias(k) ? out(k) : 0);
        }
        return off;
    }

    /** Length of the flat parameter (and gradient) vector. */
    public int paramCount() {
        return offset(layers());
    }

    /** View of {@code W(l) [in(l) x out(l)]} in a flat vector. */
    public Mat weight(int l, double[] flat) {
        return new Mat(checked(flat), offset(l), in(l), out(l));
    }

    /** View of the bias of layer {@code l} as a {@code [1 x out(l)]} row, or null when it has none. */
    public Mat bias(int l, double[] flat) {
        return hasBias(l) ? new Mat(checked(flat), offset(l) + in(l) * out(l), 1, out(l)) : null;
    }

    /** File names of the parameter arrays, in flat-vector order: {@code W1.npy}, {@code W2.npy}, {@code b2.npy}, … */
    public String[] fileNames() {
        String[] names = new String[layers() + (bias ? layers() - 1 : 0)];
        for (int l = 0, i = 0; l < layers(); l++) {
            names[i++] = "W" + (l + 1) + ".npy";
            if (hasBias(l)) {
                names[i++] = "b" + (l + 1) + ".npy";
            }
        }
        return names;
    }

    /** The views named by {@link #fileNames()}, in the same order (biases as {@code [1 x out]} rows). */
    public Mat[] views(double[] flat) {
        Mat[] views = new Mat[fileNames().length];
        for (int l = 0, i = 0; l < layers(); l++) {
            views[i++] = weight(l, flat);
            if (hasBias(l)) {
                views[i++] = bias(l, flat);
            }
        }
        return views;
    }

    /** A short description, e.g. {@code 785-100-10} or {@code 785-300-100-10 +bias}. */
    public String describe() {
        StringBuilder s = new StringBuilder().append(inputs);
        for (int h : hidden) {
            s.append('-').append(h);
        }
        return s.append('-').append(classes).append(bias ? " +bias" : "").toString();
    }

    private double[] checked(double[] flat) {
        if (flat.length != paramCount()) {
            throw new IllegalArgumentException("parameter vector has " + flat.length + " values, layout "
                    + describe() + " needs " + paramCount());
        }
        return flat;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout l && inputs == l.inputs && classes == l.classes && bias == l.bias
                && Arrays.equals(hidden, l.hidden);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hidden) * 31 + inputs * 7 + classes + (bias ? 1 : 0);
    }

    @Override
    public String toString() {
        return "Layout[" + describe() + "]";
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }
}
