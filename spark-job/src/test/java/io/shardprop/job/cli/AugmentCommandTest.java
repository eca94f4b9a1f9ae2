package io.shardprop.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardprop.core.data.Deformation;
import io.shardprop.core.data.Idx;
import io.shardprop.core.data.IdxImages;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.TinyMnist;
import io.shardprop.job.testing.MainRun;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code augment} on small generated MNIST files: row {@code n·k + i} is copy {@code k} of image {@code i} (copy 0
 * the image, bit for bit; copy {@code k} training's deformation of sample {@code i} in epoch {@code k}, to within
 * half a grey level), whatever the parts, splits and gzip; Parquet holds the same rows; and training one epoch on
 * the IDX set and on the Parquet set gives the same weights.
 */
class AugmentCommandTest extends SparkTestBase {

    static final int N = 100;
    static final int COPIES = 2;
    static final String[] DEFORM = {"--seed", "7", "--elastic-alpha", "34", "--rotate", "15", "--scale", "0.15",
        "--shear", "15", "--shift", "1"};
    static final Deformation DEFORMATION = new Deformation(28, 28, 1, 4.0, 34, 15, 0.15, 15);

    @TempDir
    static Path dir;
    static Path mnist;
    static IdxImages source;
    static byte[] sourceLabels;

    @BeforeAll
    static void data() throws IOException {
        mnist = TinyMnist.write(Files.createDirectories(dir.resolve("mnist")), N, 30, 11, false);
        try (InputStream in = Files.newInputStream(mnist.resolve("train-images-idx3-ubyte"))) {
            source = Idx.readImages(in, "train-images");
        }
        try (InputStream in = Files.newInputStream(mnist.resolve("train-labels-idx1-ubyte"))) {
            sourceLabels = Idx.readLabels(in, "train-labels");
        }
    }

    private static Path augment(String name, String... more) {
        List<String> args = new ArrayList<>(List.of("augment", "--data", mnist.toString(), "--copies",
                String.valueOf(COPIES), "--out", dir.resolve(name).toString()));
        args.addAll(List.of(DEFORM));
        args.addAll(List.of(more));
        MainRun r = MainRun.of(args);
        assertEquals(0, r.code(), r.err());
        return dir.resolve(name);
    }

    private static byte[] read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Idx.readImages(in, file.getFileName().toString()).pixels();
        }
    }

    private static byte[] labels(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Idx.readLabels(in, file.getFileName().toString());
        }
    }

    /** Training's on-the-fly copy {@code k} of image {@code i}, as pixel / 255 values. */
    private static double[] onTheFly(int k, int i) {
        int p = 28 * 28;
        double[] x = new double[p + 1];
        for (int j = 0; j < p; j++) {
            x[j] = (source.pixels()[i * p + j] & 0xFF) / 255.0;
        }
        x[p] = 1;
        double[] out = new double[p];
        DEFORMATION.deform(x, 0, i, Deformation.epochSeed(7, k), out);
        return out;
    }

    private static void assertRows(byte[] pixels) {
        int p = 28 * 28;
        assertEquals((long) N * (COPIES + 1) * p, pixels.length);
        assertArrayEquals(source.pixels(), Arrays.copyOf(pixels, N * p), "the first n rows are the source");
        for (int[] ki : new int[][]{{1, 0}, {1, 37}, {2, 99}}) {
            double[] want = onTheFly(ki[0], ki[1]);
            int row = N * ki[0] + ki[1];
            double worst = 0;
            int changed = 0;
            for (int j = 0; j < p; j++) {
                worst = Math.max(worst, Math.abs((pixels[row * p + j] & 0xFF) / 255.0 - want[j]));
                changed += pixels[row * p + j] != source.pixels()[ki[1] * p + j] ? 1 : 0;
            }
            assertTrue(worst <= 0.5 / 255 + 1e-6, "row " + row + " off by " + worst * 255 + " grey levels");
            assertTrue(changed > 20, "row " + row + " is deformed");
        }
    }

    @Test
    void idxRowsAreTheSourceThenTrainingsCopiesWhateverThePartsSplitsAndGzip() throws IOException {
        Path one = augment("one", "--partitions", "1");
        byte[] pixels = read(one.resolve("train-images-idx3-ubyte"));
        assertRows(pixels);
        byte[] y = labels(one.resolve("train-labels-idx1-ubyte"));
        for (int r = 0; r < y.length; r++) {
            assertEquals(sourceLabels[r % N], y[r]);
        }
        assertArrayEquals(Files.readAllBytes(mnist.resolve("t10k-images-idx3-ubyte")),
                Files.readAllBytes(one.resolve("t10k-images-idx3-ubyte")), "test files copied unchanged");
        assertTrue(Files.exists(one.resolve("augment.json")));

        Path three = augment("three", "--partitions", "3");  // one file of three joined pieces
        assertArrayEquals(Files.readAllBytes(one.resolve("train-images-idx3-ubyte")),
                Files.readAllBytes(three.resolve("train-images-idx3-ubyte")));

        Path gz = augment("gz", "--partitions", "3", "--gzip");  // joined gzip members
        assertArrayEquals(pixels, read(gz.resolve("train-images-idx3-ubyte.gz")));
        assertArrayEquals(y, labels(gz.resolve("train-labels-idx1-ubyte.gz")));

        Path split = augment("split", "--rows-per-file", "70", "--gzip", "--partitions", "7");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteArrayOutputStream allLabels = new ByteArrayOutputStream();
        for (int f = 0; f < 5; f++) {  // 300 rows in files of 70: 70, 70, 70, 70, 20
            String part = String.format(".part-%05d.gz", f);
            byte[] images = read(split.resolve("train-images-idx3-ubyte" + part));
            assertEquals((f < 4 ? 70 : 20) * 784, images.length);
            all.write(images);
            allLabels.write(labels(split.resolve("train-labels-idx1-ubyte" + part)));
        }
        assertTrue(Files.notExists(split.resolve("train-images-idx3-ubyte.part-00005.gz")));
        assertArrayEquals(pixels, all.toByteArray());
        assertArrayEquals(y, allLabels.toByteArray());

        MainRun again = MainRun.of("augment", "--data", mnist.toString(), "--copies", "1", "--shift", "2",
                "--out", one.toString(), "--overwrite");
        assertEquals(0, again.code(), again.err());
        assertEquals(2L * N * 784 + 16, Files.size(one.resolve("train-images-idx3-ubyte")));
        try (var leftovers = Files.list(dir)) {
            assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary folder");
        }
    }

    private static List<Row> parquetRows(Path folder) {
        return spark.read().parquet(folder.toString()).orderBy("row").collectAsList();
    }

    @Test
    void parquetHoldsTheSameRowsAsPixelOver255() throws IOException {
        Path idx = augment("pq-idx", "--partitions", "2");
        byte[] pixels = read(idx.resolve("train-images-idx3-ubyte"));
        Path one = augment("pq-one", "--format", "parquet", "--partitions", "1");
        Path three = augment("pq-three", "--format", "parquet", "--partitions", "3");
        List<Row> rows = parquetRows(one.resolve("train"));
        assertEquals(rows, parquetRows(three.resolve("train")), "the same rows for 1 and 3 parts");
        assertEquals(N * (COPIES + 1), rows.size());
        byte[] back = new byte[pixels.length];
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            assertEquals(r, row.getLong(0));
            assertEquals(sourceLabels[r % N], row.getInt(1));
            List<Double> x = row.getList(2);
            for (int j = 0; j < 784; j++) {
                double v = x.get(j);
                back[r * 784 + j] = (byte) Math.round(v * 255);
                assertEquals((back[r * 784 + j] & 0xFF) / 255.0, v, 0.0, "exactly pixel / 255");
            }
        }
        assertArrayEquals(pixels, back, "the IDX set's rows");
        assertEquals(30, spark.read().parquet(one.resolve("test").toString()).count());
    }

    @Test
    void trainingOnTheIdxSetAndOnTheParquetSetGivesTheSameWeights() throws IOException {
        Path idx = augment("train-idx", "--partitions", "2");
        Path pq = augment("train-pq", "--format", "parquet", "--partitions", "1");
        String[] common = {"--hidden", "8", "--epochs", "1", "--loss", "xent", "--init", "he", "--lr", "0.1",
            "--batch-size", "30", "--seed", "3"};
        List<String> a = new ArrayList<>(List.of("train", "--data", idx.toString(), "--out",
                dir.resolve("model-idx").toString()));
        a.addAll(List.of(common));
        MainRun ra = MainRun.of(a);
        assertEquals(0, ra.code(), ra.err());
        List<String> b = new ArrayList<>(List.of("train", "--format", "parquet", "--train",
                pq.resolve("train").toString(), "--test", pq.resolve("test").toString(), "--out",
                dir.resolve("model-pq").toString()));
        b.addAll(List.of(common));
        MainRun rb = MainRun.of(b);
        assertEquals(0, rb.code(), rb.err());
        ObjectMapper json = new ObjectMapper();
        String wa = json.readTree(dir.resolve("model-idx/model/model.json").toFile()).path("weights").path("sha256")
                .asText();
        String wb = json.readTree(dir.resolve("model-pq/model/model.json").toFile()).path("weights").path("sha256")
                .asText();
        assertTrue(wa.length() == 64, wa);
        assertEquals(wa, wb, "the same weights from the IDX and the Parquet set");
    }
}
