package io.shardprop.job.cli;

import io.shardprop.job.model.ModelFixtures;
import io.shardprop.job.testing.MainRun;
import io.shardprop.job.testing.TinyData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** evaluate and predict on bad input: exit 2 with one line naming the problem, before any SparkSession starts. */
class EvaluatePredictCliTest {

    @TempDir
    static Path dir;
    @TinyData(train = 30, test = 20, seed = 1)
    static Path data;
    static Path model;

    @BeforeAll
    static void savedModel() throws IOException {
        model = ModelFixtures.write(dir.resolve("run").resolve("model"), 8);
    }

    static void assertUsageError(String expected, String... args) {
        MainRun.of(args).assertUsageError(expected, dir.resolve("never"));
    }

    static String[] evaluate(Path modelDir, String... extra) {
        List<String> a = new ArrayList<>(List.of("evaluate", "--model", modelDir.toString(), "--data", data.toString(),
                "--out", dir.resolve("never").toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    static String[] predict(Path modelDir, String out, String... extra) {
        List<String> a = new ArrayList<>(List.of("predict", "--model", modelDir.toString(),
                "--images", data.resolve("t10k-images-idx3-ubyte").toString(), "--out", out));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** A copy of the good model folder to break. */
    static Path copy(String name) throws IOException {
        Path m = dir.resolve(name).resolve("model");
        Files.createDirectories(m);
        for (String f : new String[]{"W1.npy", "W2.npy", "model.json"}) {
            Files.copy(model.resolve(f), m.resolve(f));
        }
        return m;
    }

    @Test
    void helpExitsZero() {
        assertEquals(0, MainRun.of("evaluate", "--help").code());
        assertEquals(0, MainRun.of("predict", "--help").code());
    }

    @Test
    void modelIsRequired() {
        assertUsageError("--model DIR is required", "evaluate", "--data", data.toString());
        assertUsageError("--model DIR is required", "predict", "--images", data.toString(), "--out", "x.csv");
    }

    @Test
    void missingWeightFile() throws IOException {
        Path m = copy("no-w2");
        Files.delete(m.resolve("W2.npy"));
        assertUsageError("--model: ", evaluate(m));
        assertUsageError("W2.npy is missing", evaluate(m));
        assertUsageError("W2.npy is missing", predict(m, dir.resolve("never.csv").toString()));
    }

    @Test
    void weightOfTheWrongShape() throws IOException {
        Path m = copy("bad-shape");
        ModelFixtures.writeNpy(m.resolve("W1.npy"), new int[]{784, 8}, new double[784 * 8], 0);
        assertUsageError("W1.npy: shape [784, 8], expected [785, 8]", evaluate(m.getParent()));
        assertUsageError("W1.npy: shape [784, 8], expected [785, 8]", predict(m, dir.resolve("never.csv").toString()));
    }

    @Test
    void noModelJson() {
        assertUsageError("has neither model.json nor model/model.json", evaluate(data));
    }

    @Test
    void missingTestFiles() {
        assertUsageError("--test-labels: ", evaluate(model, "--test-labels", dir.resolve("nope").toString()));
        assertUsageError("--data DIR is required", "evaluate", "--model", model.toString());
    }

    @Test
    void labelsGivenAsImages() {
        assertUsageError("magic 0x00000801, expected 0x00000803",
                evaluate(model, "--test-images", data.resolve("t10k-labels-idx1-ubyte").toString()));
        assertUsageError("--images: ", "predict", "--model", model.toString(),
                "--images", data.resolve("t10k-labels-idx1-ubyte").toString(), "--out", dir.resolve("never.csv").toString());
    }

    @Test
    void mismatchedCounts() {
        assertUsageError("has 30 labels but t10k-images-idx3-ubyte has 20 images",
                evaluate(model, "--test-labels", data.resolve("train-labels-idx1-ubyte").toString()));
    }

    @Test
    void existingOutputWithoutOverwrite() throws IOException {
        Path out = Files.createDirectories(dir.resolve("evaluated"));
        assertUsageError("already exists; pass --overwrite", "evaluate", "--model", model.toString(),
                "--data", data.toString(), "--out", out.toString());
        Path csv = Files.createDirectories(dir.resolve("p.csv"));
        assertUsageError("already exists; pass --overwrite", predict(model, csv.toString()));
    }

    @Test
    void aPredictionPathEndingInNeitherCsvNorParquetIsRefused() {
        assertUsageError("must end in .csv or .parquet", predict(model, dir.resolve("never.json").toString()));
    }

    @Test
    void badNumbers() {
        assertUsageError("--block-size must be at least 1", evaluate(model, "--block-size", "0"));
        assertUsageError("--partitions must be 0 (default) or more", predict(model, "x.csv", "--partitions", "-1"));
    }
}
