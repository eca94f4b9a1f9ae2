package io.shardprop.job;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Idx;
import io.shardprop.core.data.IdxImages;
import io.shardprop.core.testing.RealData;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Small models trained once per test JVM through {@code Main train} (call from a {@link SparkTestBase} test):
 * {@link #seed()} is the notebook's model (785-16-10, seed loss) trained on synthetic images and tested on
 * the real MNIST t10k set; {@link #deep()} is 785-24-12-10 with bias vectors, xent and Adam, on synthetic
 * data only. Runs live in a temporary folder removed when the JVM exits.
 */
public final class TrainedRuns {

    /** A finished run: its folder and the test files its metrics.csv was measured on. */
    public record Run(Path dir, Path testImages, Path testLabels) {
        public Path model() {
            return dir.resolve("model");
        }

        /** The test images and labels as core reads them (x = pixels / 255 plus the ones column). */
        public Batch testBatch() {
            try (InputStream im = Files.newInputStream(testImages); InputStream la = Files.newInputStream(testLabels)) {
                IdxImages images = Idx.readImages(im, testImages.getFileName().toString());
                byte[] labels = Idx.readLabels(la, testLabels.getFileName().toString());
                return Batch.fromBytes(images.pixels(), images.rows() * images.cols(), labels, 0, images.count());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The last row of metrics.csv: epoch, train_loss, train_accuracy, test_loss, test_accuracy, seconds. */
        public double[] lastEpoch() {
            List<double[]> rows = RealData.csv(dir.resolve("metrics.csv"));
            return rows.get(rows.size() - 1);
        }
    }

    private static Path root;
    private static Run seed;
    private static Run deep;

    private TrainedRuns() {
    }

    public static synchronized Run seed() {
        if (seed == null) {
            Path data = synthetic("seed-data", 600, 50);
            Path mnist = RealData.mnistDir();
            Path images = mnist.resolve("t10k-images-idx3-ubyte");
            Path labels = mnist.resolve("t10k-labels-idx1-ubyte");
            seed = train("seed-run", images, labels, "--train-images", data.resolve("train-images-idx3-ubyte").toString(),
                    "--train-labels", data.resolve("train-labels-idx1-ubyte").toString(),
                    "--test-images", images.toString(), "--test-labels", labels.toString(),
                    "--hidden", "16", "--init", "he", "--lr", "1e-3", "--epochs", "3", "--partitions", "2");
        }
        return seed;
    }

    public static synchronized Run deep() {
        if (deep == null) {
            Path data = synthetic("deep-data", 700, 300);
            deep = train("deep-run", data.resolve("t10k-images-idx3-ubyte"), data.resolve("t10k-labels-idx1-ubyte"),
                    "--data", data.toString(), "--hidden", "24,12", "--bias", "--loss", "xent", "--init", "he",
                    "--optimizer", "adam", "--lr", "1e-2", "--epochs", "4", "--block-size", "128", "--partitions", "3");
        }
        return deep;
    }

    private static Run train(String name, Path testImages, Path testLabels, String... options) {
        Path out = root().resolve(name);
        String[] args = Stream.concat(Stream.of("train", "--out", out.toString()), Stream.of(options))
                .toArray(String[]::new);
        assertEquals(0, Main.run(args), "train " + String.join(" ", args));
        return new Run(out, testImages, testLabels);
    }

    private static Path synthetic(String name, int train, int test) {
        try {
            return TinyMnist.write(Files.createDirectory(root().resolve(name)), train, test, 5, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("shardprop-trained");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path r = root;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(r)));
        }
        return root;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit: the folder is under the system temp directory
        }
    }
}
