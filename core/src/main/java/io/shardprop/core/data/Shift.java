package io.shardprop.core.data;

import io.shardprop.core.linalg.FMat;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.linalg.Mat;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Random translation of images, the data augmentation of {@code --shift}: every row of an input matrix is an
 * image of {@code height x width} values, row-major, followed by the column of ones that carries the bias;
 * {@link #apply} moves each image by its own {@code (dy, dx)}, each drawn uniformly from
 * {@code -max..max}, fills the pixels it uncovers with 0 (the background of scaled MNIST) and keeps the ones.
 * The draws come from a {@link SplittableRandom} of the given seed alone, so a block shifted with the same
 * seed is the same wherever and however often it is computed.
 *
 * @param height image rows
 * @param width  image columns
 * @param max    the largest move along each axis, in pixels; 0 for none
 */
public record Shift(int height, int width, int max) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** No augmentation. */
    public static final Shift NONE = new Shift(0, 0, 0);

    public Shift {
        if (max < 0 || height < 0 || width < 0 || (max > 0 && max >= Math.min(height, width))) {
            throw new IllegalArgumentException("Shift: a move of 0 or of less than the image's side required, got "
                    + max + " on " + height + " x " + width);
        }
    }

    /** Whether this shift leaves inputs as they are. */
    public boolean none() {
        return max == 0;
    }

    /** {@code x} with every image moved, as a new matrix in the same precision ({@code x} itself for {@link #NONE}). */
    public Inputs apply(Inputs x, long seed) {
        if (none()) {
            return x;
        }
        int pixels = height * width;
        if (x.cols() != pixels + 1) {
            throw new IllegalArgumentException("Shift: inputs " + x.shape() + " are not " + height + " x " + width
                    + " images and a bias column");
        }
        int n = x.rows();
        int cols = x.cols();
        boolean single = x instanceof FMat;
        Object in = single ? ((FMat) x).data() : ((Mat) x).data();
        int offset = single ? ((FMat) x).offset() : ((Mat) x).offset();
        Object out = single ? new float[Math.multiplyExact(n, cols)] : new double[Math.multiplyExact(n, cols)];
        SplittableRandom rnd = new SplittableRandom(seed);
        int span = 2 * max + 1;
        for (int i = 0; i < n; i++) {
            int dy = rnd.nextInt(span) - max;
            int dx = rnd.nextInt(span) - max;
            int src = offset + i * cols;
            int dst = i * cols;
            int c0 = Math.max(0, dx);
            int len = Math.min(width, width + dx) - c0;
            for (int r = Math.max(0, dy), last = Math.min(height, height + dy); r < last; r++) {
                System.arraycopy(in, src + (r - dy) * width + c0 - dx, out, dst + r * width + c0, len);
            }
            System.arraycopy(in, src + pixels, out, dst + pixels, 1);  // the bias column's one
        }
        return single ? new FMat((float[]) out, 0, n, cols) : new Mat((double[]) out, 0, n, cols);
    }

    /**
     * {@code block}'s samples with their images moved, labels unchanged, seeded by {@code epochSeed} and the
     * block's index alone: the one rule every trainer path uses (a block runs once an epoch).
     */
    public Batch apply(Block block, long epochSeed) {
        Batch b = block.data();
        return none() ? b : new Batch(apply(b.x(), epochSeed ^ (block.index() + 1) * 0xC2B2AE3D27D4EB4FL), b.labels());
    }
}
