package io.shardprop.job.augment;

import io.shardprop.core.data.Deformation;
import io.shardprop.core.linalg.FMat;

import java.io.Serializable;

/**
 * The rows of an augmented training set: {@code n} source images followed by {@code copies} deformed copies of
 * them, row {@code n·k + i} being copy {@code k} of image {@code i} for {@code k = 0..copies}. Copy 0 is the
 * image, bit for bit; copy {@code k ≥ 1} is what training with the same {@code --seed} and deformation draws for
 * sample {@code i} in epoch {@code k}: {@link Deformation#apply(io.shardprop.core.linalg.Inputs, long, long)} of
 * the image as {@code pixel / 255} with sample index {@code i} and {@link Deformation#epochSeed}{@code (seed, k)}.
 * Deformed values are stored as bytes ({@link #grey}: {@code round(value · 255)} clamped to 0..255), so a row read
 * back as {@code byte / 255} is within half a grey level ({@code 0.5 / 255}) of the value training computes on
 * the fly. A row is a pure function of {@code (seed, k, i)}: any part, task or retry writes the same bytes.
 *
 * @param source      the training images and labels
 * @param deformation the deformation of the copies
 * @param seed        training's {@code --seed}
 * @param copies      deformed copies of each image, 0 or more
 */
public record Copies(SourceImages source, Deformation deformation, long seed, int copies) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Images deformed in one call: a 785-column float matrix of this many rows is 800 KB. */
    static final int CHUNK = 256;

    public Copies {
        if (copies < 0) {
            throw new IllegalArgumentException("copies must be 0 or more, got " + copies);
        }
        if (copies > 0 && deformation.none()) {
            throw new IllegalArgumentException("deformed copies need a deformation");
        }
    }

    /** All rows: {@code n · (copies + 1)}. */
    public long rows() {
        return (long) source.count() * (copies + 1L);
    }

    /** The stored grey level of a deformed value: {@code round(value · 255)} clamped to 0..255. */
    public static byte grey(float value) {
        long g = Math.round(value * 255.0);
        return (byte) Math.max(0, Math.min(255, g));
    }

    /** Label of row {@code row}. */
    public byte label(long row) {
        return source.labels()[(int) (row % source.count())];
    }

    /**
     * Pixels of rows {@code [first, first + count)} into {@code out[0 .. count · pixels)}, row after row.
     */
    public void pixels(long first, int count, byte[] out) {
        int n = source.count();
        int p = source.pixelsPerImage();
        if ((long) count * p > out.length || first < 0 || first + count > rows()) {
            throw new IllegalArgumentException("rows " + first + " + " + count + " of " + rows());
        }
        int done = 0;
        while (done < count) {
            long row = first + done;
            int k = (int) (row / n);
            int i = (int) (row % n);
            int run = Math.min(count - done, Math.min(n - i, CHUNK));  // images i.. of copy k, one call
            if (k == 0) {
                System.arraycopy(source.pixels(), i * p, out, done * p, run * p);
            } else {
                deformed(k, i, run, out, done * p);
            }
            done += run;
        }
    }

    /** Copy {@code k} of images {@code [i, i + run)} as bytes into {@code out[at..]}. */
    private void deformed(int k, int i, int run, byte[] out, int at) {
        int p = source.pixelsPerImage();
        int cols = p + 1;
        float[] x = new float[run * cols];
        byte[] pixels = source.pixels();
        for (int r = 0; r < run; r++) {
            int src = (i + r) * p;
            int dst = r * cols;
            for (int j = 0; j < p; j++) {
                x[dst + j] = (float) ((pixels[src + j] & 0xFF) / 255.0);  // as training's float32 inputs
            }
            x[dst + p] = 1f;
        }
        FMat d = (FMat) deformation.apply(new FMat(x, 0, run, cols), i, Deformation.epochSeed(seed, k));
        float[] v = d.data();
        for (int r = 0; r < run; r++) {
            for (int j = 0; j < p; j++) {
                out[at + r * p + j] = grey(v[d.offset() + r * cols + j]);
            }
        }
    }
}
