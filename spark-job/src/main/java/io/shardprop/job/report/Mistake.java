package io.shardprop.job.report;

import java.util.Arrays;
import java.util.Objects;

/**
 * One misclassified image for {@link Plots#mistakes}: grey pixels as unsigned bytes, row-major
 * ({@code 0} = background, {@code 255} = ink, as in MNIST), the true and the predicted label, and the
 * model's probability for the predicted label.
 *
 * @param pixels     {@code rows × cols} unsigned bytes, row-major (copied, not modified)
 * @param rows       image height in pixels
 * @param cols       image width in pixels
 * @param trueLabel  the label in the data
 * @param predicted  the model's argmax
 * @param confidence probability of {@code predicted}, in [0, 1] (NaN when unknown)
 */
public record Mistake(byte[] pixels, int rows, int cols, int trueLabel, int predicted, double confidence) {

    /** Checks the shape and the ranges and keeps a copy of {@code pixels}. */
    public Mistake {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("Mistake: image is [" + rows + " x " + cols + "]");
        }
        if (pixels == null || pixels.length != (long) rows * cols) {
            throw new IllegalArgumentException("Mistake: image is [" + rows + " x " + cols + "] but pixels has "
                    + (pixels == null ? "null" : pixels.length + " bytes"));
        }
        if (trueLabel < 0 || predicted < 0) {
            throw new IllegalArgumentException("Mistake: labels must be >= 0, got true " + trueLabel
                    + " and predicted " + predicted);
        }
        if (!(confidence >= 0 && confidence <= 1) && !Double.isNaN(confidence)) {
            throw new IllegalArgumentException("Mistake: confidence " + confidence + " is outside [0, 1]");
        }
        pixels = pixels.clone();
    }

    /** The pixels (a copy). */
    @Override
    public byte[] pixels() {
        return pixels.clone();
    }

    /** Pixel {@code (r, c)} as 0…255. */
    public int pixel(int r, int c) {
        return pixels[r * cols + c] & 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mistake m && Arrays.equals(pixels, m.pixels) && rows == m.rows && cols == m.cols
                && trueLabel == m.trueLabel && predicted == m.predicted
                && Double.compare(confidence, m.confidence) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(pixels) + Objects.hash(rows, cols, trueLabel, predicted, confidence);
    }

    @Override
    public String toString() {
        return "Mistake[" + rows + "x" + cols + ", true " + trueLabel + ", predicted " + predicted
                + ", confidence " + confidence + "]";
    }
}
