package io.shardprop.job;

import io.shardprop.core.data.Idx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Small synthetic MNIST-shaped IDX files (28×28 or other square images of random pixels, labels 0–9). */
public final class TinyMnist {

    private TinyMnist() {
    }

    /** Writes the four files with {@code train} and {@code test} samples into {@code dir}; returns {@code dir}. */
    public static Path write(Path dir, int train, int test, long seed, boolean gzip) throws IOException {
        return write(dir, train, test, seed, gzip, 28);
    }

    /** As {@link #write(Path, int, int, long, boolean)}, with images of {@code side × side} pixels. */
    public static Path write(Path dir, int train, int test, long seed, boolean gzip, int side) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        write(dir, "train", train, rnd, gzip, side);
        write(dir, "t10k", test, rnd, gzip, side);
        return dir;
    }

    private static void write(Path dir, String prefix, int n, SplittableRandom rnd, boolean gzip, int side)
            throws IOException {
        int size = side * side;
        byte[] pixels = new byte[n * size];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) rnd.nextInt(10);
            for (int j = 0; j < size; j++) {
                // sparse bright strokes whose position depends on the label, so there is something to learn
                boolean on = rnd.nextInt(10) == 0 || (j % 10 == labels[i] && rnd.nextInt(3) == 0);
                pixels[i * size + j] = (byte) (on ? rnd.nextInt(256) : 0);
            }
        }
        String ext = gzip ? ".gz" : "";
        try (OutputStream out = open(dir.resolve(prefix + "-images-idx3-ubyte" + ext), gzip)) {
            Idx.writeImages(out, n, side, side, pixels);
        }
        try (OutputStream out = open(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), gzip)) {
            Idx.writeLabels(out, labels);
        }
    }

    private static OutputStream open(Path p, boolean gzip) throws IOException {
        OutputStream out = Files.newOutputStream(p);
        return gzip ? new GZIPOutputStream(out) : out;
    }
}
