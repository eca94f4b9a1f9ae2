package io.shardprop.core.data;

import io.shardprop.core.linalg.Mat;

/**
 * Samples as rows with their labels: {@code x [n x (pixels + 1)]}, pixels scaled to {@code [0, 1]} by
 * {@code /255.0} followed by a column of ones that carries the bias, exactly as the notebook builds its
 * input; {@code labels[i]} in {@code 0..classes-1}.
 */
public record Batch(Mat x, int[] labels) implements java.io.Serializable {

    public Batch {
        if (labels.length != x.rows()) {
            throw new IllegalArgumentException("Batch: " + x.rows() + " rows but " + labels.length + " labels");
        }
    }

    /** Number of samples. */
    public int size() {
        return labels.length;
    }

    /**
     * Samples {@code [first, first + n)} of unsigned-byte images and labels, as a batch.
     *
     * @param pixels        images one after another, {@code pixelsPerImage} bytes each
     * @param pixelsPerImage 784 for MNIST
     * @param labels        one byte per image
     */
    public static Batch fromBytes(byte[] pixels, int pixelsPerImage, byte[] labels, int first, int n) {
        int width = pixelsPerImage + 1;
        double[] x = new double[Math.multiplyExact(n, width)];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int src = (first + i) * pixelsPerImage;
            int dst = i * width;
            for (int j = 0; j < pixelsPerImage; j++) {
                x[dst + j] = (pixels[src + j] & 0xFF) / 255.0;
            }
            x[dst + pixelsPerImage] = 1.0;
            y[i] = labels[first + i];
        }
        return new Batch(new Mat(x, 0, n, width), y);
    }
}
