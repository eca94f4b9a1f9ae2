package io.shardprop.job.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.testing.MainRun;
import io.shardprop.job.testing.TinyData;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --cache}: the uint8 cache gives the float caches' weights, bit for bit, for IDX images and for frames
 * whose values are bytes, in a byte a value; a split IDX set ({@code name.part-*}, plain and gzipped parts) trains
 * as the one file it was cut from, and its bad labels and corrupt gzip parts are found by the executors, exit 2.
 */
class CompactCacheTest extends SparkTestBase {

    @TinyData(train = 230, test = 40, seed = 11)
    static Path data;

    @TempDir
    Path dir;

    static JsonNode model(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("model/model.json").toFile());
    }

    static String hash(Path out) throws IOException {
        return model(out).path("weights").path("sha256").asText();
    }

    private Path train(String name, String... args) throws IOException {
        Path out = dir.resolve(name);
        List<String> all = new ArrayList<>(List.of("train", "--out", out.toString(), "--hidden", "6", "--epochs", "2"));
        all.addAll(List.of(args));
        MainRun o = MainRun.of(all.toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        return out;
    }

    @Test
    void idxBytesGiveTheFloatCachesWeightsInAByteAValue() throws IOException {
        String[] seed = {"--data", data.toString(), "--lr", "1e-3"};  // full batch, float64, the notebook's loss
        Path bytes = train("u8", concat(seed, "--cache", "uint8"));
        Path floats = train("f64", concat(seed, "--cache", "float64"));
        Path auto = train("auto", seed);
        assertEquals(hash(floats), hash(bytes));
        assertEquals(hash(floats), hash(auto));
        assertEquals(hash(floats), hash(train("local-u8", concat(seed, "--cache", "uint8", "--engine", "local"))),
                "the single-process engine with bytes");
        JsonNode cache = model(auto).path("engine").path("cache");
        assertEquals("uint8", cache.path("training").path("type").asText(), cache.toString());
        assertEquals("uint8", cache.path("test").path("type").asText(), cache.toString());
        assertEquals("float64", model(floats).path("engine").path("cache").path("training").path("type").asText());
        double perRow = cache.path("training").path("bytes_per_row").asDouble();
        double floatRow = model(floats).path("engine").path("cache").path("training").path("bytes_per_row").asDouble();
        assertTrue(perRow >= 785 && perRow < 900, "784 pixel bytes, the label and a small block's overhead: " + cache);
        assertTrue(floatRow > 6280 && perRow < floatRow / 7, perRow + " against " + floatRow);

        // mini-batches with local steps, float32 products and shifted images
        String[] preset = {"--data", data.toString(), "--loss", "xent", "--init", "he", "--optimizer", "momentum",
            "--lr", "0.05", "--batch-size", "40", "--replicas", "2", "--syncs-per-epoch", "2", "--precision",
            "float32", "--shift", "1"};
        assertEquals(hash(train("f32", concat(preset, "--cache", "float32"))),
                hash(train("u8-32", concat(preset, "--cache", "uint8"))));
    }

    @Test
    void aCacheThatWouldLoseValuesIsRefusedNamingTheOption() throws IOException {
        MainRun o = MainRun.of("train", "--data", data.toString(), "--cache", "float32", "--out",
                dir.resolve("never").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--cache float32 with --precision float64"), o.err());
        assertTrue(Files.notExists(dir.resolve("never")));

        Path rows = frame("halves.parquet", (i, j) -> (i * 7 + j) % 5 * 0.5);
        MainRun h = MainRun.of("train", "--format", "parquet", "--train", rows.toString(), "--validation-fraction",
                "0.25", "--cache", "uint8", "--out", dir.resolve("never").toString());
        assertEquals(2, h.code(), h.err());
        assertTrue(h.err().contains("--cache uint8: the training rows have values that are neither integers 0-255 "
                + "nor pixel/255"), h.err());
    }

    @Test
    void framesOfBytesAreCachedAsBytesWithTheSameWeights() throws IOException {
        String[] common = {"--format", "parquet", "--validation-fraction", "0.25", "--loss", "xent", "--init", "he",
            "--lr", "0.01", "--batch-size", "21", "--block-size", "7"};  // blocks cut by the input's partitions
        Path integers = frame("integers.parquet", (i, j) -> (double) ((i * 31 + j * 17) % 256));
        Path pixels = frame("pixels.parquet", (i, j) -> ((i * 31 + j * 17) % 256) / 255.0);
        for (Path rows : List.of(integers, pixels)) {
            String name = rows.getFileName().toString();
            Path auto = train(name + "-auto", concat(common, "--train", rows.toString()));
            Path floats = train(name + "-f64", concat(common, "--train", rows.toString(), "--cache", "float64"));
            assertEquals(hash(floats), hash(auto), name);
            JsonNode cache = model(auto).path("engine").path("cache").path("training");
            assertEquals("uint8", cache.path("type").asText(), cache.toString());
            double floatRow = model(floats).path("engine").path("cache").path("training").path("bytes_per_row")
                    .asDouble();
            assertTrue(cache.path("bytes_per_row").asDouble() < floatRow - 12 * 7, "12 values a row, blocks of 7 "
                    + "rows: " + cache + " against " + floatRow);
        }
        Path halves = frame("halves.parquet", (i, j) -> (i * 7 + j) % 5 * 0.5);
        Path auto = train("halves-auto", concat(common, "--train", halves.toString()));
        assertEquals("float64", model(auto).path("engine").path("cache").path("training").path("type").asText());
    }

    /**
     * The check numbers rows by partition counts from its own pass, not by a counting job of Spark's: a bad row in
     * a later partition is named by its index in the whole, as {@code zipWithIndex} numbers it.
     */
    @Test
    void aBadRowInALaterPartitionIsNamedByItsIndexInTheWhole() throws IOException {
        Path rows = frame("nan.parquet", (i, j) -> i == 50 && j == 3 ? Double.NaN : (double) (i % 7));
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df = spark.read().parquet(rows.toString());
        assertTrue(df.javaRDD().getNumPartitions() > 1, "several partitions");
        long expected = df.javaRDD().zipWithIndex().filter(t -> {
            java.util.List<Double> x = t._1.getList(0);
            return Double.isNaN(x.get(3));
        }).first()._2;
        Path good = frame("good.parquet", (i, j) -> (double) (i % 7));
        MainRun o = MainRun.of("train", "--format", "parquet", "--train", rows.toString(), "--test", good.toString(),
                "--out", dir.resolve("never").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("row " + expected + ": 'features'[3] is NaN"), expected + ": " + o.err());
    }

    @Test
    void aSplitSetTrainsAsTheFileItWasCutFrom() throws IOException {
        Path split = Files.createDirectories(dir.resolve("split"));
        for (String f : List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            Files.copy(data.resolve(f), split.resolve(f));
        }
        cut(data.resolve("train-images-idx3-ubyte"), split, 100);  // 100, 100 and 30 rows, the middle part gzipped
        cut(data.resolve("train-labels-idx1-ubyte"), split, 100);
        String[] recipe = {"--loss", "xent", "--init", "he", "--lr", "0.05", "--batch-size", "30", "--block-size",
            "15"};  // blocks that straddle the parts
        Path whole = train("whole", concat(recipe, "--data", data.toString()));
        Path parts = train("parts", concat(recipe, "--data", split.toString()));
        assertEquals(hash(whole), hash(parts));
        assertEquals(hash(whole), hash(train("parts-local", concat(recipe, "--data", split.toString(), "--engine",
                "local"))), "the single-process engine reads the parts one after another");
        JsonNode files = model(parts).path("data");
        assertEquals(230, files.path("train-images-idx3-ubyte.part-*").path("count").asInt(), files.toString());
        Path replicas = train("parts-replicas", concat(recipe, "--data", split.toString(), "--replicas", "2",
                "--syncs-per-epoch", "1"));
        assertNotEquals(hash(whole), hash(replicas));
        assertEquals(hash(train("whole-replicas", concat(recipe, "--data", data.toString(), "--replicas", "2",
                "--syncs-per-epoch", "1"))), hash(replicas));

        // a bad label in a part: found by the executor that caches it, named by part and index, exit 2
        byte[] labels = Files.readAllBytes(split.resolve("train-labels-idx1-ubyte.part-00002"));
        labels[8 + 17] = 12;
        Files.write(split.resolve("train-labels-idx1-ubyte.part-00002"), labels);
        MainRun bad = MainRun.of(concat(new String[]{"train", "--data", split.toString(), "--out",
            dir.resolve("bad").toString()}, recipe));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("train-labels-idx1-ubyte.part-00002: label 12 at index 17 is outside 0-9"),
                bad.err());
    }

    @Test
    void aCorruptGzipPartIsFoundByTheExecutorThatReadsItsEnd() throws IOException {
        Path split = Files.createDirectories(dir.resolve("crc"));
        for (String f : List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            Files.copy(data.resolve(f), split.resolve(f));
        }
        cut(data.resolve("train-images-idx3-ubyte"), split, 100);
        cut(data.resolve("train-labels-idx1-ubyte"), split, 100);
        Path gz = split.resolve("train-images-idx3-ubyte.part-00001.gz");
        byte[] b = Files.readAllBytes(gz);
        b[b.length - 6] ^= 0x55;  // the trailer's CRC-32
        Files.write(gz, b);
        MainRun o = MainRun.of("train", "--data", split.toString(), "--hidden", "4", "--epochs", "1", "--out",
                dir.resolve("bad").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("train-images-idx3-ubyte.part-00001.gz"), o.err());

        // cut short: the header still says 100 images, the stream ends before them
        Files.write(gz, Arrays.copyOf(b, b.length / 2));
        MainRun cut = MainRun.of("train", "--data", split.toString(), "--hidden", "4", "--epochs", "1", "--out",
                dir.resolve("cut").toString());
        assertEquals(2, cut.code(), cut.err());
        assertTrue(cut.err().contains("train-images-idx3-ubyte.part-00001.gz: truncated: expected"), cut.err());
    }

    /** Rows of 12 values {@code value(row, j)} and a label 0-2, as a Parquet file of a vector-free array column. */
    private Path frame(String name, java.util.function.BiFunction<Integer, Integer, Double> value) {
        List<org.apache.spark.sql.Row> rows = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            Double[] x = new Double[12];
            for (int j = 0; j < x.length; j++) {
                x[j] = value.apply(i, j);
            }
            rows.add(RowFactory.create(x, (long) (i % 3)));
        }
        StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("label", DataTypes.LongType);
        Path out = dir.resolve(name);
        spark.createDataFrame(rows, schema).repartition(3).write().parquet(out.toString());
        return out;
    }

    /**
     * {@code file} cut into parts of {@code rows} samples, {@code NAME.part-0000k} in {@code into}, part 1
     * gzipped ({@code .gz}).
     */
    static void cut(Path file, Path into, int rows) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        int magic = b.getInt();
        int dims = magic & 0xff;
        int[] sizes = new int[dims];
        for (int d = 0; d < dims; d++) {
            sizes[d] = b.getInt();
        }
        int unit = dims == 3 ? sizes[1] * sizes[2] : 1;
        int header = 4 + 4 * dims;
        for (int first = 0, k = 0; first < sizes[0]; first += rows, k++) {
            int n = Math.min(rows, sizes[0] - first);
            String name = file.getFileName() + String.format(".part-%05d", k) + (k == 1 ? ".gz" : "");
            try (OutputStream raw = Files.newOutputStream(into.resolve(name));
                 DataOutputStream out = new DataOutputStream(k == 1 ? new GZIPOutputStream(raw) : raw)) {
                out.writeInt(magic);
                out.writeInt(n);
                for (int d = 1; d < dims; d++) {
                    out.writeInt(sizes[d]);
                }
                out.write(b.array(), header + first * unit, n * unit);
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
