package io.shardprop.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.testing.MainRun;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --task regression}, {@code --weight-col}, {@code --validation} and early stopping, end to end. */
class RegressionAndEarlyStoppingCliTest extends SparkTestBase {

    @TempDir
    Path dir;

    /** Friedman #1 rows as CSV (a0..a9, label, w), targets around {@code offset}. */
    static Path friedmanCsv(Path file, int n, long seed, double offset) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder("a0,a1,a2,a3,a4,a5,a6,a7,a8,a9,label,w\n");
        for (int i = 0; i < n; i++) {
            double[] x = new double[10];
            for (int j = 0; j < 10; j++) {
                x[j] = r.nextDouble();
                s.append(x[j]).append(',');
            }
            double y = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4]
                    + r.nextGaussian() + offset;
            s.append(y).append(',').append(1 + i % 3).append('\n');
        }
        return Files.writeString(file, s);
    }

    /** Three classes tied to the features; {@code flipped}: every label moved to the next class. */
    static Path classesCsv(Path file, int n, long seed, boolean flipped) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < n; i++) {
            int y = i % 3;
            for (int j = 0; j < 4; j++) {
                s.append((j == y ? 1.5 : 0) + r.nextGaussian()).append(',');
            }
            s.append(flipped ? (y + 1) % 3 : y).append('\n');
        }
        return Files.writeString(file, s);
    }

    /** Runs the command line {@code args}, which must exit 0. */
    static void succeeds(String... args) {
        MainRun o = MainRun.of(args);
        assertEquals(0, o.code(), o.err());
    }

    /** The lines of predict's CSV part file in {@code out}. */
    static List<String> predicted(Path out) throws IOException {
        try (var files = Files.list(out)) {
            return Files.readAllLines(files.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst()
                    .orElseThrow());
        }
    }

    static List<String> header(Path run) throws IOException {
        return List.of(Files.readAllLines(run.resolve("metrics.csv")).get(0).split(","));
    }

    static double last(Path run, String column) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        int c = header(run).indexOf(column);
        return Double.parseDouble(lines.get(lines.size() - 1).split(",", -1)[c]);
    }

    /** Exit 2 and {@code expected} in one line, nothing written (this class's SparkSession is up already). */
    private void assertUsage(MainRun o, String expected) {
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains(expected) && o.err().strip().lines().count() == 1, o.err());
        assertTrue(Files.notExists(dir.resolve("never")));
    }

    @Test
    void aRegressionRunWritesItsFitAndEvaluateAndPredictMatchIt() throws IOException {
        Path train = friedmanCsv(dir.resolve("train.csv"), 1200, 1, 50);
        Path test = friedmanCsv(dir.resolve("test.csv"), 300, 2, 50);
        Path run = dir.resolve("run");
        succeeds("train", "--format", "csv", "--task", "regression", "--train", train.toString(),
                "--test", test.toString(), "--weight-col", "w", "--out", run.toString(), "--bias", "true",
                "--hidden", "32", "--epochs", "8", "--batch-size", "64", "--optimizer", "adam", "--lr", "0.003",
                "--init", "he", "--activation", "tanh");
        assertTrue(header(run).containsAll(List.of("test_rmse", "test_mae", "test_r2")), header(run).toString());
        double r2 = last(run, "test_r2");
        assertTrue(r2 > 0.6, "R² " + r2);
        JsonNode m = new ObjectMapper().readTree(run.resolve("model/model.json").toFile());
        assertEquals("squared", m.path("loss").path("mode").asText());
        assertEquals("tanh", m.path("architecture").path("activation").asText());
        assertEquals(1, m.path("architecture").path("classes").asInt(), "one output");
        assertTrue(m.path("target_scaling").path("mean").get(0).asDouble() > 55, m.toString());
        assertEquals(r2, m.path("metrics").path("test_r2").asDouble());

        Path eval = dir.resolve("eval");
        succeeds("evaluate", "--model", run.toString(), "--format", "csv", "--test", test.toString(),
                "--weight-col", "w", "--out", eval.toString());
        JsonNode ej = new ObjectMapper().readTree(eval.resolve("evaluation.json").toFile());
        assertEquals(last(run, "test_rmse"), ej.path("rmse").asDouble(), "the run's own test pass, to the bit");
        assertEquals(r2, ej.path("r2").asDouble());
        Path pred = dir.resolve("pred.csv");
        succeeds("predict", "--model", run.toString(), "--format", "csv", "--input", test.toString(),
                "--weight-col", "w", "--out", pred.toString());
        List<String> rows = predicted(pred);
        assertEquals("index,prediction", rows.get(0));
        assertEquals(301, rows.size());
    }

    /** Parquet rows of a features vector and two targets a row, as an array column {@code targets}. */
    static Path twoTargetsParquet(Path file, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[4];
            for (int j = 0; j < 4; j++) {
                x[j] = r.nextDouble() * 2 - 1;
            }
            Double[] y = {3 * x[0] - 2 * x[1] * x[1] + 0.1 * r.nextGaussian() + 20,
                100 * Math.sin(2 * x[2]) + 50 * x[3] + r.nextGaussian()};
            rows.add(RowFactory.create(Vectors.dense(x), y));
        }
        StructType schema = new StructType()
                .add("features", SQLDataTypes.VectorType())
                .add("targets", DataTypes.createArrayType(DataTypes.DoubleType));
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(file.toString());
        return file;
    }

    @Test
    void severalTargetsARowTrainEvaluateAndPredictFromParquet() throws IOException {
        Path train = twoTargetsParquet(dir.resolve("train.parquet"), 1000, 3);
        Path test = twoTargetsParquet(dir.resolve("test.parquet"), 200, 4);
        Path run = dir.resolve("two");
        succeeds("train", "--format", "parquet", "--task", "regression", "--train", train.toString(),
                "--test", test.toString(), "--label-col", "targets", "--out", run.toString(), "--bias", "true",
                "--hidden", "32", "--epochs", "30", "--batch-size", "32", "--optimizer", "adam", "--lr", "0.003",
                "--init", "xavier", "--activation", "tanh");
        JsonNode m = new ObjectMapper().readTree(run.resolve("model/model.json").toFile());
        assertEquals(2, m.path("architecture").path("classes").asInt(), "two outputs");
        assertEquals(2, m.path("target_scaling").path("mean").size(), m.toString());
        double r2 = last(run, "test_r2");
        assertTrue(r2 > 0.9, "R² (the outputs' mean) " + r2);

        Path eval = dir.resolve("eval-two");
        succeeds("evaluate", "--model", run.toString(), "--format", "parquet", "--test", test.toString(),
                "--label-col", "targets", "--out", eval.toString());
        assertEquals(r2, new ObjectMapper().readTree(eval.resolve("evaluation.json").toFile()).path("r2").asDouble(),
                "the run's own test pass, to the bit");
        Path pred = dir.resolve("pred-two.csv");
        succeeds("predict", "--model", run.toString(), "--format", "parquet", "--input", test.toString(),
                "--label-col", "targets", "--out", pred.toString());
        List<String> rows = predicted(pred);
        assertEquals("index,prediction0,prediction1", rows.get(0));
        assertEquals(201, rows.size());

        MainRun classes = MainRun.of("train", "--format", "parquet", "--train", train.toString(), "--test",
                test.toString(), "--label-col", "targets", "--out", dir.resolve("never").toString(), "--epochs", "1");
        assertEquals(2, classes.code(), classes.err());
        assertTrue(classes.err().contains("train.parquet: column 'label' is vector: class labels are numbers; several "
                + "targets a row are a regression's (train --task regression, ShardPropRegressor)"), classes.err());
    }

    @Test
    void earlyStoppingKeepsTheBestEpochWhoseCheckpointHasItsWeights() throws IOException {
        Path train = classesCsv(dir.resolve("c-train.csv"), 300, 3, false);
        Path worse = classesCsv(dir.resolve("c-val.csv"), 90, 4, true);
        Path run = dir.resolve("early");
        succeeds("train", "--format", "csv", "--train", train.toString(), "--validation",
                worse.toString(), "--out", run.toString(), "--loss", "xent", "--hidden", "8", "--epochs", "30",
                "--lr", "0.5", "--batch-size", "0", "--early-stopping-patience", "2", "--checkpoint-every", "1");
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        assertTrue(header(run).containsAll(List.of("val_loss", "val_accuracy", "best_epoch")), header(run).toString());
        int best = (int) last(run, "best_epoch");
        assertEquals(best + 2, lines.size() - 1, "stopped two epochs after the best");
        JsonNode m = new ObjectMapper().readTree(run.resolve("model/model.json").toFile());
        assertEquals(best, m.path("best_epoch").asInt());
        Path ck = run.resolve(String.format("checkpoints/epoch-%04d", best));
        for (String w : new String[]{"W1.npy", "W2.npy"}) {
            assertArrayEquals(Files.readAllBytes(ck.resolve(w)), Files.readAllBytes(run.resolve("model").resolve(w)),
                    "the model is epoch " + best + "'s checkpoint");
        }
        MainRun noValidation = MainRun.of("train", "--format", "csv", "--train", train.toString(), "--test",
                worse.toString(), "--out", dir.resolve("never").toString(), "--early-stopping-patience", "2");
        assertUsage(noValidation, "--early-stopping-patience needs a validation set");
        MainRun wrongMetric = MainRun.of("train", "--format", "csv", "--train", train.toString(), "--validation",
                worse.toString(), "--out", dir.resolve("never").toString(), "--early-stopping-patience", "2",
                "--early-stopping-metric", "r2");
        assertUsage(wrongMetric, "--early-stopping-metric r2 does not fit a classification");
        MainRun regressionLoss = MainRun.of("train", "--format", "csv", "--train", train.toString(), "--test",
                worse.toString(), "--out", dir.resolve("never").toString(), "--loss", "squared");
        assertUsage(regressionLoss, "--loss squared is a regression loss: add --task regression");
        assertTrue(Arrays.asList(lines.get(0).split(",")).indexOf("seconds") == 5, "the first six columns as before");
    }

    @Test
    void aResumedRunKeepsItsBestEpochAndEndsAsTheUninterruptedOne() throws IOException {
        Path train = classesCsv(dir.resolve("r-train.csv"), 300, 3, false);
        Path worse = classesCsv(dir.resolve("r-val.csv"), 90, 4, true);
        List<String> common = List.of("train", "--format", "csv", "--train", train.toString(), "--validation",
                worse.toString(), "--loss", "xent", "--hidden", "8", "--lr", "0.5", "--batch-size", "0",
                "--early-stopping-patience", "3", "--checkpoint-every", "1");
        Path whole = dir.resolve("whole");
        Path parts = dir.resolve("parts");
        List<String> a = new ArrayList<>(common);
        a.addAll(List.of("--epochs", "30", "--out", whole.toString()));
        succeeds(a.toArray(String[]::new));
        List<String> b = new ArrayList<>(common);
        b.addAll(List.of("--epochs", "2", "--out", parts.toString()));
        succeeds(b.toArray(String[]::new));
        b.set(b.indexOf("2"), "30");
        b.add("--resume");
        succeeds(b.toArray(String[]::new));
        assertEquals(last(whole, "best_epoch"), last(parts, "best_epoch"));
        assertEquals(Files.readAllLines(whole.resolve("metrics.csv")).size(),
                Files.readAllLines(parts.resolve("metrics.csv")).size(), "stopped at the same epoch");
        for (String w : new String[]{"W1.npy", "W2.npy"}) {
            assertArrayEquals(Files.readAllBytes(whole.resolve("model").resolve(w)),
                    Files.readAllBytes(parts.resolve("model").resolve(w)), w);
        }
    }
}
