package io.shardprop.core.testing;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Idx;
import io.shardprop.core.data.IdxImages;
import io.shardprop.core.io.Npy;
import io.shardprop.core.io.NpyArray;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real MNIST files ({@code scripts/fetch-mnist.sh}) and the numpy golden runs (checked in under
 * {@code core/src/test/resources/golden}, made by {@code scripts/golden.py}),
 * located through the system properties {@code shardprop.mnist} and {@code shardprop.golden} that the
 * build sets. Missing files fail the test with the command that provides them: end-to-end checks must not
 * silently skip in CI.
 */
public final class RealData {

    private RealData() {
    }

    /** The folder holding the four uncompressed MNIST files. */
    public static Path mnistDir() {
        Path dir = Path.of(System.getProperty("shardprop.mnist", "../data/mnist"));
        if (!Files.isRegularFile(dir.resolve("train-images-idx3-ubyte"))) {
            throw new IllegalStateException("MNIST not found in " + dir.toAbsolutePath()
                    + ": run scripts/fetch-mnist.sh first");
        }
        return dir;
    }

    /** {@code core/src/test/resources/golden/<name>}: a folder, so that it can also be passed as {@code --init-weights}. */
    public static Path golden(String name) {
        Path dir = Path.of(System.getProperty("shardprop.golden", "../core/src/test/resources/golden")).resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("golden run not found: " + dir.toAbsolutePath());
        }
        return dir;
    }

    /** {@code prefix} is {@code train} or {@code t10k}. */
    public static Batch mnist(String prefix) {
        Path dir = mnistDir();
        IdxImages images = read(dir.resolve(prefix + "-images-idx3-ubyte"), Idx::readImages);
        byte[] labels = read(dir.resolve(prefix + "-labels-idx1-ubyte"), Idx::readLabels);
        Idx.checkSameCount(images, labels, prefix + "-labels-idx1-ubyte");
        return Batch.fromBytes(images.pixels(), images.rows() * images.cols(), labels, 0, images.count());
    }

    public static NpyArray npy(Path file) {
        return read(file, Npy::read);
    }

    /** Rows of a small CSV file with a header line, as doubles. */
    public static List<double[]> csv(Path file) {
        try {
            List<double[]> rows = new ArrayList<>();
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                if (!line.isBlank()) {
                    String[] cells = line.split(",");
                    double[] row = new double[cells.length];
                    for (int i = 0; i < cells.length; i++) {
                        row[i] = Double.parseDouble(cells[i].trim());
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Reader<T> {
        T read(InputStream in, String name);
    }

    private static <T> T read(Path file, Reader<T> reader) {
        try (InputStream in = Files.newInputStream(file)) {
            return reader.read(in, file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
