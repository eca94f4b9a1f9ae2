package io.shardprop.core.data;

import io.shardprop.core.linalg.ByteMat;
import io.shardprop.core.linalg.FMat;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.linalg.Mat;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.linalg.SparseMat;

/**
 * Samples as rows with their labels: {@code x [n x (pixels + 1)]}, pixels scaled to {@code [0, 1]} by
 * {@code /255.0} followed by a column of ones that carries the bias, exactly as the notebook builds its
 * input; {@code labels[i]} in {@code 0..classes-1}, or for regression real {@code targets} ({@code k} a row,
 * row-major); and optionally a weight per row ({@code weights}, null: every row weighs 1).
 *
 * @param labels  class labels, or null for regression
 * @param targets regression targets {@code [n·k]}, row {@code i}'s at {@code i·k}; null for classification
 * @param weights each row's weight in the loss and gradient (finite, ≥ 0), or null for 1
 */
public record Batch(Inputs x, int[] labels, double[] targets, double[] weights) implements java.io.Serializable {

    public Batch {
        if ((labels == null) == (targets == null)) {
            throw new IllegalArgumentException("Batch: labels or targets, one of them");
        }
        if (labels != null && labels.length != x.rows()) {
            throw new IllegalArgumentException("Batch: " + x.rows() + " rows but " + labels.length + " labels");
        }
        if (targets != null && (x.rows() == 0 ? targets.length != 0 : targets.length % x.rows() != 0)) {
            throw new IllegalArgumentException("Batch: " + x.rows() + " rows but " + targets.length + " targets");
        }
        if (weights != null && weights.length != x.rows()) {
            throw new IllegalArgumentException("Batch: " + x.rows() + " rows but " + weights.length + " weights");
        }
    }

    /** Samples with class labels, every row of weight 1. */
    public Batch(Inputs x, int[] labels) {
        this(x, labels, null, null);
    }

    /** Regression samples: {@code targets.length / n} real targets a row, every row of weight 1. */
    public static Batch regression(Inputs x, double[] targets) {
        return new Batch(x, null, targets, null);
    }

    /** The same samples with other inputs (as many rows). */
    public Batch withInputs(Inputs other) {
        return other == x ? this : new Batch(other, labels, targets, weights);
    }

    /** The same samples with weights {@code w} (null: 1 each). */
    public Batch withWeights(double[] w) {
        return new Batch(x, labels, targets, w);
    }

    /** Rows {@code [first, first + n)}, copied. */
    public Batch rows(int first, int n) {
        int k = targets == null ? 0 : size() == 0 ? 0 : targets.length / size();
        return new Batch(x.copyRows(first, n),
                labels == null ? null : java.util.Arrays.copyOfRange(labels, first, first + n),
                targets == null ? null : java.util.Arrays.copyOfRange(targets, first * k, (first + n) * k),
                weights == null ? null : java.util.Arrays.copyOfRange(weights, first, first + n));
    }

    /** Row {@code i}'s weight (1 without weights). */
    public double weight(int i) {
        return weights == null ? 1.0 : weights[i];
    }

    /** The inputs as a float64 matrix; throws for float32 inputs. */
    public Mat x64() {
        if (x instanceof Mat m) {
            return m;
        }
        throw new IllegalStateException("float64 inputs expected, these are float32");
    }

    /**
     * The batch as the products take it: itself, or for {@link ByteMat} inputs a batch of their expansion into this
     * thread's buffer ({@link ByteMat#expand()}), valid until the thread expands another.
     */
    public Batch expanded() {
        return x instanceof ByteMat b ? withInputs(b.expand()) : this;
    }

    /**
     * The batch as the first layer's products run fastest on it: float64 inputs (bytes or doubles) few of which are
     * non-zero (images) as their non-zero values ({@link SparseMat}), other byte inputs {@link #expanded()}, float32
     * ones as they are; in this thread's buffers.
     */
    public Batch forProducts() {
        if (x instanceof ByteMat b) {
            SparseMat s = SparseMat.of(b);
            return withInputs(s != null ? s : b.expand());
        }
        if (x instanceof Mat m) {
            SparseMat s = SparseMat.of(m);
            return s != null ? withInputs(s) : this;
        }
        return this;
    }

    /** The same samples with inputs in {@code precision} (this batch when they already are). */
    public Batch in(Precision precision) {
        Inputs c = precision.convert(x);
        return withInputs(c);
    }

    /** Number of samples. */
    public int size() {
        return x.rows();
    }

    /**
     * Samples {@code [first, first + n)} of unsigned-byte images and labels, as a batch.
     *
     * @param pixels        images one after another, {@code pixelsPerImage} bytes each
     * @param pixelsPerImage 784 for MNIST
     * @param labels        one byte per image
     */
    public static Batch fromBytes(byte[] pixels, int pixelsPerImage, byte[] labels, int first, int n) {
        return fromBytes(pixels, pixelsPerImage, labels, first, n, Precision.FLOAT64);
    }

    /**
     * As {@link #fromBytes(byte[], int, byte[], int, int)}, with inputs in {@code precision}: a float32 input
     * is the float64 one rounded to nearest.
     */
    public static Batch fromBytes(byte[] pixels, int pixelsPerImage, byte[] labels, int first, int n,
                                  Precision precision) {
        int width = pixelsPerImage + 1;
        int[] y = labels(labels, first, n);
        if (precision == Precision.FLOAT32) {
            float[] x = new float[Math.multiplyExact(n, width)];
            for (int i = 0; i < n; i++) {
                int src = (first + i) * pixelsPerImage;
                int dst = i * width;
                for (int j = 0; j < pixelsPerImage; j++) {
                    x[dst + j] = (float) ((pixels[src + j] & 0xFF) / 255.0);
                }
                x[dst + pixelsPerImage] = 1f;
            }
            return new Batch(new FMat(x, 0, n, width), y);
        }
        double[] x = new double[Math.multiplyExact(n, width)];
        for (int i = 0; i < n; i++) {
            int src = (first + i) * pixelsPerImage;
            int dst = i * width;
            for (int j = 0; j < pixelsPerImage; j++) {
                x[dst + j] = (pixels[src + j] & 0xFF) / 255.0;
            }
            x[dst + pixelsPerImage] = 1.0;
        }
        return new Batch(new Mat(x, 0, n, width), y);
    }

    /**
     * Samples {@code [first, first + n)} of unsigned-byte images and labels, kept as bytes ({@link ByteMat},
     * {@link ByteMat.Code#PIXEL}) to expand in {@code precision}: its expansion is {@link #fromBytes}'s matrix.
     */
    public static Batch ofBytes(byte[] pixels, int pixelsPerImage, byte[] labels, int first, int n,
                                Precision precision) {
        byte[] x = java.util.Arrays.copyOfRange(pixels, first * pixelsPerImage, (first + n) * pixelsPerImage);
        return new Batch(new ByteMat(x, 0, n, pixelsPerImage, ByteMat.Code.PIXEL, precision), labels(labels, first, n));
    }

    /** Labels {@code [first, first + n)} of one byte each, as ints. */
    private static int[] labels(byte[] labels, int first, int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels[first + i];
        }
        return y;
    }

    /**
     * {@code rows} rows of features, {@code width} values each one after another in {@code features} (any
     * scale), and their labels, as a batch: each row followed by the column of ones that carries the bias, as
     * {@link #fromBytes} builds images.
     */
    public static Batch fromFeatures(double[] features, int rows, int width, int[] labels, Precision precision) {
        return new Batch(inputs(features, rows, width, precision), labels);
    }

    /** {@link #fromFeatures}'s inputs alone: each row followed by the ones column, in {@code precision}. */
    public static Inputs inputs(double[] features, int rows, int width, Precision precision) {
        int cols = width + 1;
        double[] x = new double[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(features, i * width, x, i * cols, width);
            x[i * cols + width] = 1.0;
        }
        return precision.convert(new Mat(x, 0, rows, cols));
    }
}
