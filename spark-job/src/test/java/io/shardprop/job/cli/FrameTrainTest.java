package io.shardprop.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.testing.MainRun;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --format libsvm|csv|parquet}: trains on data of any width and class count; bad rows exit 2. */
class FrameTrainTest extends SparkTestBase {

    static final Path IRIS = Path.of("src/test/resources/data/iris/sample_multiclass_classification_data.txt");

    @TempDir
    Path dir;

    static JsonNode json(Path f) throws IOException {
        return new ObjectMapper().readTree(f.toFile());
    }

    static List<String> lastMetrics(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("metrics.csv"));
        return List.of(lines.get(lines.size() - 1).split(","));
    }

    @Test
    void irisInLibsvmWithAHeldOutFraction() throws IOException {
        Path out = dir.resolve("iris");
        MainRun o = MainRun.of("train", "--format", "libsvm", "--train", IRIS.toString(),
                "--validation-fraction", "0.2", "--out", out.toString(), "--hidden", "8", "--epochs", "40",
                "--loss", "xent", "--init", "he", "--optimizer", "momentum", "--lr", "0.1", "--batch-size", "16");
        assertEquals(0, o.code(), o.err());
        JsonNode m = json(out.resolve("model/model.json"));
        assertEquals(5, m.path("architecture").path("inputs").asInt(), "4 features and the ones column");
        assertEquals(3, m.path("architecture").path("classes").asInt());
        assertTrue(Double.parseDouble(lastMetrics(out).get(4)) >= 0.8, "test accuracy: " + lastMetrics(out));
        assertTrue(Files.exists(out.resolve("confusion.png")) && Files.notExists(out.resolve("mistakes.png")));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }

    /**
     * LibSVM leaves zeros out, so a test file's largest index may fall short of the training file's: it is read
     * at the training rows' width by train and at the model's by evaluate and predict; a wider one is refused.
     */
    @Test
    void aLibsvmFileThatFallsShortOfTheTrainingWidthIsReadAtIt() throws IOException {
        List<String> rows = Files.readAllLines(IRIS);
        StringBuilder shortRows = new StringBuilder();
        for (String r : rows.subList(0, 40)) {
            shortRows.append(r.replaceAll(" 4:\\S+", "")).append('\n');  // no row reaches feature 4
        }
        Path narrow = Files.writeString(dir.resolve("narrow.txt"), shortRows);
        Path out = dir.resolve("narrow-run");
        MainRun o = MainRun.of("train", "--format", "libsvm", "--train", IRIS.toString(),
                "--test", narrow.toString(), "--out", out.toString(), "--hidden", "4", "--epochs", "2",
                "--batch-size", "0");
        assertEquals(0, o.code(), o.err());
        assertEquals(5, json(out.resolve("model/model.json")).path("architecture").path("inputs").asInt());
        MainRun e = MainRun.of("evaluate", "--model", out.toString(), "--format", "libsvm",
                "--test", narrow.toString());
        assertEquals(0, e.code(), e.err());
        assertEquals(40, json(out.resolve("evaluation/evaluation.json")).path("count").asInt(),
                json(out.resolve("evaluation/evaluation.json")).toString());
        MainRun p = MainRun.of("predict", "--model", out.toString(), "--format", "libsvm",
                "--input", narrow.toString(), "--out", dir.resolve("narrow-pred.csv").toString());
        assertEquals(0, p.code(), p.err());
        Path wide = Files.writeString(dir.resolve("wide.txt"), "0 1:0.5 5:1.0\n");
        MainRun w = MainRun.of("evaluate", "--model", out.toString(), "--format", "libsvm",
                "--test", wide.toString(), "--out", dir.resolve("never").toString());
        assertEquals(2, w.code(), w.err());
        assertTrue(w.err().contains("wide.txt: rows of 5 values, the model "), w.err());
    }

    /** Two blobs as CSV rows {@code a,b,c,label}; {@code bad} replaces the cell of row 3, column b. */
    static Path csv(Path file, int n, long seed, String bad) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder("a,b,c,label\n");
        for (int i = 0; i < n; i++) {
            int y = i % 2;
            double sign = y == 1 ? 1 : -1;
            s.append(String.format(java.util.Locale.ROOT, "%.4f,%s,%.4f,%d%n", sign + r.nextGaussian() * 0.5,
                    i == 3 && bad != null ? bad : String.format(java.util.Locale.ROOT, "%.4f", -sign + r.nextGaussian() * 0.5),
                    r.nextGaussian(), y));
        }
        return Files.writeString(file, s);
    }

    @Test
    void csvAndParquetTrainAndBadRowsAreNamed() throws IOException {
        Path train = csv(dir.resolve("train.csv"), 80, 1, null);
        Path test = csv(dir.resolve("test.csv"), 40, 2, null);
        String[] common = {"--hidden", "4", "--epochs", "10", "--loss", "xent", "--init", "he", "--lr", "0.1",
            "--batch-size", "20"};
        List<String> args = new ArrayList<>(List.of("train", "--format", "csv", "--train", train.toString(), "--test",
                test.toString(), "--out", dir.resolve("csv").toString()));
        args.addAll(List.of(common));
        MainRun o = MainRun.of(args.toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        assertEquals(4, json(dir.resolve("csv/model/model.json")).path("architecture").path("inputs").asInt());
        assertTrue(Double.parseDouble(lastMetrics(dir.resolve("csv")).get(4)) >= 0.9, lastMetrics(dir.resolve("csv")).toString());

        // evaluate on the same test rows: training's own test pass, so the run's last test figures, bit for bit
        MainRun e = MainRun.of("evaluate", "--model", dir.resolve("csv").toString(), "--format",
                "csv", "--test", test.toString());
        assertEquals(0, e.code(), e.err());
        JsonNode ev = json(dir.resolve("csv/evaluation/evaluation.json"));
        assertEquals(Double.parseDouble(lastMetrics(dir.resolve("csv")).get(3)), ev.path("loss").asDouble(), 0.0,
                ev.toString());
        assertEquals(Double.parseDouble(lastMetrics(dir.resolve("csv")).get(4)), ev.path("accuracy").asDouble(), 0.0);
        assertTrue(Files.notExists(dir.resolve("csv/evaluation/mistakes.png")));
        MainRun p = MainRun.of("predict", "--model", dir.resolve("csv").toString(), "--format",
                "csv", "--input", test.toString(), "--out", dir.resolve("pred.csv").toString());
        assertEquals(0, p.code(), p.err());
        List<String> predicted;
        try (var parts = Files.list(dir.resolve("pred.csv"))) {
            Path part = parts.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
            predicted = Files.readAllLines(part);
        }
        assertEquals("index,prediction,p0,p1", predicted.get(0));
        assertEquals(41, predicted.size(), "a header and the 40 rows");
        for (int i = 1; i < predicted.size(); i++) {
            assertTrue(predicted.get(i).startsWith((i - 1) + ","), "input order: " + predicted.get(i));
        }
        Path wide = Files.writeString(dir.resolve("wide.csv"), "a,b,c,d,label\n1,2,3,4,0\n");
        MainRun w = MainRun.of("evaluate", "--model", dir.resolve("csv").toString(), "--format",
                "csv", "--test", wide.toString(), "--out", dir.resolve("never").toString());
        assertEquals(2, w.code(), w.err());
        assertTrue(w.err().contains("--test: ") && w.err().contains("wide.csv: rows of 4 values, the model ")
                && w.err().strip().endsWith(" expects 3"), w.err());

        // Parquet with the features as an array column
        List<org.apache.spark.sql.Row> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rows.add(RowFactory.create(List.of((double) (i % 3), 1.0 - i % 3, 0.5).toArray(Double[]::new), (long) (i % 3)));
        }
        StructType schema = new StructType().add("pixels", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("digit", DataTypes.LongType);
        Path parquet = dir.resolve("rows.parquet");
        spark.createDataFrame(rows, schema).write().parquet(parquet.toString());
        args = new ArrayList<>(List.of("train", "--format", "parquet", "--train", parquet.toString(),
                "--validation-fraction", "0.25", "--features-col", "pixels", "--label-col", "digit",
                "--out", dir.resolve("parquet").toString()));
        args.addAll(List.of(common));
        o = MainRun.of(args.toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        assertEquals(3, json(dir.resolve("parquet/model/model.json")).path("architecture").path("classes").asInt());

        assertBad("column 'b' is string, not numeric: row 3 is 'abc'", "csv",
                csv(dir.resolve("abc.csv"), 20, 3, "abc"), test);
        assertBad("row 3: 'features'[1] is NaN", "csv", csv(dir.resolve("empty.csv"), 20, 3, ""), test);
        Path halves = Files.writeString(dir.resolve("halves.csv"), "a,b,c,label\n1,2,3,0\n1,2,3,1.5\n");
        assertBad("row 1: 'label' is 1.5, not an integer", "csv", halves, test);
        Path three = Files.writeString(dir.resolve("three.csv"), "a,b,c,label\n1,2,3,0\n1,2,3,1\n1,2,3,2\n");
        assertBad("three.csv: row 2: 'label' is 2.0, not an integer in 0..1", "csv", train, three);
        MainRun missing = MainRun.of("train", "--format", "csv", "--train", train.toString(),
                "--test", test.toString(), "--label-col", "y", "--out", dir.resolve("never").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("train.csv: no label column 'y' (columns: a, b, c, label)"), missing.err());
        MainRun noTest = MainRun.of("train", "--format", "csv", "--train", train.toString(),
                "--out", dir.resolve("never").toString());
        assertEquals(2, noTest.code(), noTest.err());
        assertTrue(noTest.err().contains("--format csv needs --test PATH, --validation PATH or --validation-fraction F"),
                noTest.err());
        assertTrue(Files.notExists(dir.resolve("never")));
    }

    private void assertBad(String expected, String format, Path train, Path test) {
        MainRun o = MainRun.of("train", "--format", format, "--train", train.toString(), "--test",
                test.toString(), "--out", dir.resolve("never").toString(), "--epochs", "1", "--batch-size", "0");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains(expected), "'" + expected + "' not in: " + o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(Files.notExists(dir.resolve("never")), "nothing written");
    }
}
