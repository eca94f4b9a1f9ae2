package io.shardprop.job;

import io.shardprop.core.data.Idx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Small synthetic MNIST-shaped IDX files (28×28 random pixels, labels 0–9) written into a folder. */
public final class TinyMnist {

    private TinyMnist() {
    }

    /** Writes the four files with {@code train} and {@code test} samples into {@code dir}; returns {@code dir}. */
    public static Path write(Path dir, int train, int test, long seed, boolean gzip) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        write(dir, "train", train, rnd, gzip);
        write(dir, "t10k", test, rnd, gzip);
        return dir;
    }

    private static void write(Path dir, String prefix, int n, SplittableRandom rnd, boolean gzip) throws IOException {
        byte[] pixels = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) rnd.nextInt(10);
            for (int j = 0; j < 784; j++) {
                // sparse bright strokes whose position depends on the label, so there is something to learn
                boolean on = rnd.nextInt(10) == 0 || (j % 10 == labels[i] && rnd.nextInt(3) == 0);
                pixels[i * 784 + j] = (byte) (on ? rnd.nextInt(256) : 0);
            }
        }
        String ext = gzip ? ".gz" : "";
        try (OutputStream out = open(dir.resolve(prefix + "-images-idx3-ubyte" + ext), gzip)) {
            Idx.writeImages(out, n, 28, 28, pixels);
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
