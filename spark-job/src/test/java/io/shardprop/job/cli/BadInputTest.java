package io.shardprop.job.cli;

import io.shardprop.job.Main;
import io.shardprop.job.testing.MainRun;
import io.shardprop.job.testing.TinyData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Corrupt input and unusable output, as a user meets them: every case exits 2 with one line naming the file
 * or option, before any SparkSession starts and without creating {@code --out}.
 */
class BadInputTest {

    @TempDir
    static Path dir;
    @TinyData(train = 400, test = 100, seed = 3, gzip = true)
    static Path gz;
    static Path run;

    @BeforeAll
    static void trainedRun() {
        run = dir.resolve("run");
        assertEquals(0, Main.run("train", "--engine", "local", "--data", gz.toString(), "--out", run.toString(),
                "--epochs", "1", "--hidden", "8"));
    }

    /** A copy of the gzipped data set in which {@code name} is replaced by {@code bytes}. */
    static Path withFile(String folder, String name, byte[] bytes) throws IOException {
        Path d = Files.createDirectory(dir.resolve(folder));
        try (var files = Files.list(gz)) {
            for (Path f : files.toList()) {
                Files.copy(f, d.resolve(f.getFileName()));
            }
        }
        Files.write(d.resolve(name), bytes);
        return d;
    }

    static byte[] read(String name) throws IOException {
        return Files.readAllBytes(gz.resolve(name));
    }

    static void assertBadInput(String expected, String... args) {
        Path out = dir.resolve("never");
        List<String> all = new ArrayList<>(List.of(args));
        if (args[0].equals("train")) {
            all.addAll(List.of("--out", out.toString()));
        }
        MainRun.of(all).assertUsageError(expected, out);
    }

    @Test
    void aGzipCorruptedMidStreamIsRefused() throws IOException {
        byte[] b = read("train-images-idx3-ubyte.gz");
        for (int i = 0; i < 200; i++) {  // as a user did: 200 bytes overwritten in the middle
            b[b.length / 2 + i] ^= (byte) 0xa5;
        }
        Path d = withFile("mid", "train-images-idx3-ubyte.gz", b);
        assertBadInput("--train-images: train-images-idx3-ubyte.gz: ", "train", "--data", d.toString());
        Files.write(d.resolve("t10k-images-idx3-ubyte.gz"), b);
        assertBadInput("--test-images: t10k-images-idx3-ubyte.gz: ", "evaluate", "--model", run.toString(),
                "--data", d.toString(), "--out", dir.resolve("never").toString());
    }

    @Test
    void aCrcMismatchIsRefused() throws IOException {
        byte[] images = read("train-images-idx3-ubyte.gz");
        images[images.length - 8] ^= 1;  // the CRC-32 in the trailer: the data inflates, its checksum differs
        assertBadInput("train-images-idx3-ubyte.gz: corrupt gzip data after pixel data: Corrupt GZIP trailer",
                "train", "--data", withFile("crc", "train-images-idx3-ubyte.gz", images).toString());
        byte[] labels = read("train-labels-idx1-ubyte.gz");
        labels[labels.length - 7] ^= 4;
        assertBadInput("--train-labels: train-labels-idx1-ubyte.gz: corrupt gzip data after labels",
                "train", "--data", withFile("crc-labels", "train-labels-idx1-ubyte.gz", labels).toString());
    }

    @Test
    void aTruncatedGzipIsRefused() throws IOException {
        byte[] b = read("train-images-idx3-ubyte.gz");
        assertBadInput("train-images-idx3-ubyte.gz: truncated", "train", "--data",
                withFile("cut", "train-images-idx3-ubyte.gz", Arrays.copyOf(b, b.length / 2)).toString());
    }

    /** The labels of {@code name} with {@code value} at {@code index}, gzipped again. */
    static byte[] labelsWith(String name, int index, int value) throws IOException {
        byte[] plain;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz.resolve(name)))) {
            plain = in.readAllBytes();
        }
        plain[8 + index] = (byte) value;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    @Test
    void aLabelOutOfRangeIsRefusedByTrainAndEvaluate() throws IOException {
        Path d = withFile("label12", "train-labels-idx1-ubyte.gz", labelsWith("train-labels-idx1-ubyte.gz", 123, 12));
        assertBadInput("--train-labels: train-labels-idx1-ubyte.gz: label 12 at index 123 is not a digit 0-9",
                "train", "--data", d.toString());
        Files.write(d.resolve("t10k-labels-idx1-ubyte.gz"), labelsWith("t10k-labels-idx1-ubyte.gz", 7, 255));
        assertBadInput("--test-labels: t10k-labels-idx1-ubyte.gz: label 255 at index 7 is not a digit 0-9",
                "evaluate", "--model", run.toString(), "--data", d.toString(), "--out", dir.resolve("never").toString());
    }

    @Test
    void anOutThatCannotBeWrittenIsRefusedBeforeSpark() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        MainRun o = MainRun.of("train", "--data", gz.toString(), "--out",
                file.resolve("run").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--out: ") && o.err().contains("a-file is a file, not a folder"), o.err());
        o = MainRun.of("train", "--data", gz.toString(), "--out", file.toString(), "--overwrite");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("a-file is a file, not a folder"), o.err());
        assertEquals("not a folder", Files.readString(file));
        MainRun.assertNoSparkSession();
    }

    @Test
    void overwriteReplacesOnlyARunFolder() throws IOException {
        Path precious = Files.createDirectory(dir.resolve("precious"));
        Files.writeString(precious.resolve("precious.txt"), "keep me");
        MainRun o = MainRun.of("train", "--data", gz.toString(), "--out", precious.toString(),
                "--overwrite");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--overwrite: ") && o.err().contains("is not a run folder of ShardProp"), o.err());
        assertEquals("keep me", Files.readString(precious.resolve("precious.txt")));
        o = MainRun.of("evaluate", "--model", run.toString(), "--data", gz.toString(), "--out",
                precious.toString(), "--overwrite");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("is not an evaluation folder (it has none of _RUNNING, _SUCCESS, _FAILED, "
                + "evaluation.json)"), o.err());
        Path csv = Files.createDirectory(dir.resolve("mine.csv"));
        Files.writeString(csv.resolve("precious.txt"), "keep me");
        o = MainRun.of("predict", "--model", run.toString(), "--images",
                gz.resolve("t10k-images-idx3-ubyte.gz").toString(), "--out", csv.toString(), "--overwrite");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("is not a folder of predict's (it has none of _RUNNING, _SUCCESS, _FAILED)"),
                o.err());
        assertEquals("keep me", Files.readString(csv.resolve("precious.txt")));
        MainRun.assertNoSparkSession();
        Path again = dir.resolve("again");
        assertEquals(0, Main.run("train", "--engine", "local", "--data", gz.toString(), "--out", again.toString(),
                "--epochs", "1", "--hidden", "4"));
        Files.writeString(again.resolve("notes.txt"), "inside a run folder");
        assertEquals(0, Main.run("train", "--engine", "local", "--data", gz.toString(), "--out", again.toString(),
                "--epochs", "1", "--hidden", "4", "--overwrite"));
        assertTrue(Files.notExists(again.resolve("notes.txt")), "a run folder is replaced whole");
        assertTrue(Files.exists(again.resolve("_SUCCESS")) && Files.notExists(again.resolve("_RUNNING")));
    }

    @Test
    void zeroMeansTheDefaultInTheHelp() {
        String help = new picocli.CommandLine(new TrainCommand()).getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(help.contains("0 = the cluster's default parallelism (0 (Spark's default parallelism) or more; "
                + "default: 0)."), help);
        assertTrue(help.contains("0 = 2000 for full batch"), help);
    }
}
