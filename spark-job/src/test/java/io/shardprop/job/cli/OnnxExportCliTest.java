package io.shardprop.job.cli;

import io.shardprop.core.onnx.OnnxFile;
import io.shardprop.core.onnx.OnnxGraph;
import io.shardprop.core.testing.RealData;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.TinyMnist;
import io.shardprop.job.TrainedRuns;
import io.shardprop.job.testing.MainRun;
import io.shardprop.job.testing.OnnxChecker;
import io.shardprop.job.testing.OnnxRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code export} of the four kinds of model (the notebook's seed model, the preset, a deeper net with bias vectors, and
 * models trained on rows that are not images: a classifier and a regression), each run by ONNX Runtime against
 * {@code predict}'s output: float64 gives predict's labels and its probabilities to 1e-12; float32 its probabilities to
 * 1e-5, and a label differs only where predict's two top probabilities are closer than float32 can tell apart.
 */
class OnnxExportCliTest extends SparkTestBase {

    /** Two float32 probabilities are "within rounding" of each other when closer than this. */
    private static final double FLOAT32_TIE = 2e-5;

    @TempDir
    Path dir;

    @Test
    void theSeedModelReproducesPredictOnTheMnistTestSet() throws IOException {
        checkImages("seed", TrainedRuns.seed().dir(), List.of("Gemm", "Relu", "MatMul", "ReduceMax", "Sub", "Exp",
                "ReduceSum", "Add", "Reciprocal", "Mul", "ArgMax"));
    }

    @Test
    void theJavaProgramOfTheDocsGivesPredictsLabels() throws Exception {
        Path run = TrainedRuns.seed().dir();
        Path images = RealData.mnistDir().resolve("t10k-images-idx3-ubyte");
        Predicted predicted = predict(run, "--images", images.toString());
        Path labels = RealData.mnistDir().resolve("t10k-labels-idx1-ubyte");
        String out = io.shardprop.job.ReadmeJavaSnippetTest.runBlock(dir, "<!-- java-onnx -->",
                export(run, "float32", "features").toString(), images.toString(), labels.toString());
        byte[] truth = Files.readAllBytes(labels);
        int correct = 0;
        for (int i = 0; i < predicted.labels.length; i++) {
            correct += predicted.labels[i] == truth[8 + i] ? 1 : 0;
        }
        assertTrue(out.contains(String.format("(%d of 10000)", correct)), "predict's " + correct + " correct: " + out);
    }

    @Test
    void aDeeperNetWithBiasVectorsReproducesPredict() throws IOException {
        checkImages("deep", TrainedRuns.deep().dir(), List.of("Gemm", "Relu", "Gemm", "Relu", "Gemm", "Softmax", "ArgMax"));
    }

    @Test
    void thePresetReproducesPredict() throws IOException {
        Path data = TinyMnist.write(Files.createDirectory(dir.resolve("tiny")), 600, 20, 7, false);
        Path mnist = RealData.mnistDir();
        Path run = dir.resolve("preset");
        MainRun t = MainRun.of("train", "--config", "../conf/mnist.properties", "--epochs", "1",
                "--train-images", data.resolve("train-images-idx3-ubyte").toString(),
                "--train-labels", data.resolve("train-labels-idx1-ubyte").toString(),
                "--test-images", mnist.resolve("t10k-images-idx3-ubyte").toString(),
                "--test-labels", mnist.resolve("t10k-labels-idx1-ubyte").toString(), "--out", run.toString());
        assertEquals(0, t.code(), t.err());
        checkImages("preset", run, List.of("Gemm", "Relu", "Gemm", "Softmax", "ArgMax"));
    }

    @Test
    void modelsOfRowsThatAreNotImagesReproducePredict() throws IOException {
        Path train = RegressionAndEarlyStoppingCliTest.classesCsv(dir.resolve("c-train.csv"), 600, 3, false);
        Path test = RegressionAndEarlyStoppingCliTest.classesCsv(dir.resolve("c-test.csv"), 300, 4, false);
        Path run = dir.resolve("rows");
        MainRun t = MainRun.of("train", "--format", "csv", "--train", train.toString(), "--test", test.toString(),
                "--out", run.toString(), "--loss", "xent", "--hidden", "8,6", "--bias", "true", "--activation", "tanh",
                "--epochs", "5", "--lr", "0.3");
        assertEquals(0, t.code(), t.err());
        double[][] x = csvFeatures(test, 4);
        Predicted predicted = predict(run, "--format", "csv", "--input", test.toString());
        compare("rows", run, x, predicted, false);
        MainRun pixels = MainRun.of("export", "--model", run.toString(), "--input", "pixels", "--out",
                dir.resolve("no.onnx").toString());
        assertEquals(2, pixels.code(), pixels.err());  // this class's SparkSession is up: not assertUsageError
        assertTrue(pixels.err().contains("was not trained on IDX images"), pixels.err());
        assertEquals(1, pixels.err().strip().lines().count(), pixels.err());
        assertTrue(Files.notExists(dir.resolve("no.onnx")));

        Path rTrain = RegressionAndEarlyStoppingCliTest.friedmanCsv(dir.resolve("r-train.csv"), 1000, 1, 50);
        Path rTest = RegressionAndEarlyStoppingCliTest.friedmanCsv(dir.resolve("r-test.csv"), 300, 2, 50);
        Path rRun = dir.resolve("regression");
        MainRun r = MainRun.of("train", "--format", "csv", "--task", "regression", "--train", rTrain.toString(),
                "--test", rTest.toString(), "--weight-col", "w", "--out", rRun.toString(), "--bias", "true",
                "--hidden", "16", "--epochs", "4", "--batch-size", "64", "--optimizer", "adam", "--lr", "0.003",
                "--activation", "gelu");
        assertEquals(0, r.code(), r.err());
        double[][] rx = csvFeatures(rTest, 10);
        Predicted values = predict(rRun, "--format", "csv", "--input", rTest.toString(), "--weight-col", "w");
        for (String precision : List.of("float64", "float32")) {
            Path file = export(rRun, precision, "features");
            OnnxFile f = OnnxFile.read(Files.readAllBytes(file));
            assertEquals(List.of("Gemm", "Mul", "Mul", "Mul", "Add", "Mul", "Tanh", "Add", "Mul", "Mul", "Gemm"), f.ops());
            OnnxRuntime.Outputs got = OnnxRuntime.run(Files.readAllBytes(file), "features", rx, precision.equals("float32"));
            double tolerance = precision.equals("float64") ? 1e-12 : 1e-5;
            for (int i = 0; i < rx.length; i++) {
                double e = values.columns[i][0];
                assertEquals(e, got.predictions()[i][0], tolerance * Math.max(1, Math.abs(e)), "regression row " + i);
            }
        }
    }

    /** Exports an IDX-trained run three ways and checks each against predict on the MNIST test set. */
    private void checkImages(String name, Path run, List<String> ops) throws IOException {
        Path images = RealData.mnistDir().resolve("t10k-images-idx3-ubyte");
        Predicted predicted = predict(run, "--images", images.toString());
        byte[] idx = Files.readAllBytes(images);
        int n = (idx.length - 16) / 784;
        double[][] pixels = new double[n][784];
        double[][] features = new double[n][784];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 784; j++) {
                pixels[i][j] = idx[16 + i * 784 + j] & 0xff;
                features[i][j] = pixels[i][j] / 255.0;
            }
        }
        assertEquals(10_000, n);
        OnnxFile f = OnnxFile.read(Files.readAllBytes(export(run, "float64", "features")));
        assertEquals(ops, f.ops(), name);
        assertEquals(OnnxGraph.IR_VERSION, f.irVersion());
        assertEquals(OnnxGraph.OPSET, f.opsets().get(""));
        assertArrayEquals(new long[]{784, f.initializers().get("b1").dims()[0]}, f.initializers().get("W1").dims());
        compare(name, run, features, predicted, true);
        // raw pixels, divided by 255 inside the graph: the same figures as features in float32
        OnnxRuntime.Outputs fromPixels = OnnxRuntime.run(Files.readAllBytes(export(run, "float32", "pixels")), "pixels",
                pixels, true);
        checkFloat32(name + " pixels", predicted, fromPixels);
    }

    /** float64 and float32 exports of {@code run} on {@code x} against predict's {@code predicted}. */
    private void compare(String name, Path run, double[][] x, Predicted predicted, boolean image) throws IOException {
        OnnxRuntime.Outputs f64 = OnnxRuntime.run(Files.readAllBytes(export(run, "float64", "features")), "features", x,
                false);
        assertArrayEquals(predicted.labels, f64.labels(), name + ": float64 labels are predict's");
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < predicted.columns[i].length; j++) {
                worst = Math.max(worst, Math.abs(predicted.columns[i][j] - f64.probabilities()[i][j]));
            }
        }
        assertTrue(worst <= 1e-12, name + ": float64 probabilities differ by " + worst);
        Path f32 = dir.resolve(name + "-float32.onnx");
        assertEquals(0, MainRun.of("export", "--model", run.toString(), "--out", f32.toString()).code());  // the default
        checkFloat32(name, predicted, OnnxRuntime.run(Files.readAllBytes(f32), "features", x, true));
        System.out.printf("ONNX %s: %d rows, float64 max |dp| %.2e%n", name, x.length, worst);
    }

    private static void checkFloat32(String name, Predicted predicted, OnnxRuntime.Outputs got) {
        double worst = 0;
        int differ = 0;
        for (int i = 0; i < predicted.labels.length; i++) {
            double[] p = predicted.columns[i];
            for (int j = 0; j < p.length; j++) {
                worst = Math.max(worst, Math.abs(p[j] - got.probabilities()[i][j]));
            }
            if (got.labels()[i] != predicted.labels[i]) {
                differ++;
                double gap = Math.abs(p[(int) predicted.labels[i]] - p[(int) got.labels()[i]]);
                assertTrue(gap < FLOAT32_TIE, name + " row " + i + ": float32 label " + got.labels()[i] + ", predict's "
                        + predicted.labels[i] + ", whose probabilities differ by " + gap);
            }
        }
        assertTrue(worst <= 1e-5, name + ": float32 probabilities differ by " + worst);
        System.out.printf("ONNX %s float32: max |dp| %.2e, %d of %d labels differ (each a tie within %.0e)%n", name, worst,
                differ, predicted.labels.length, FLOAT32_TIE);
    }

    private Path export(Path run, String precision, String input) {
        Path out = dir.resolve(run.getFileName() + "-" + precision + "-" + input + ".onnx");
        if (Files.notExists(out)) {
            MainRun e = MainRun.of("export", "--model", run.toString(), "--precision", precision, "--input", input,
                    "--out", out.toString());
            assertEquals(0, e.code(), e.err());
            assertTrue(Files.isRegularFile(out), out + " written");
            OnnxChecker.check(out);
        }
        return out;
    }

    /** predict's labels and its probability (or, for a regression, prediction) columns, in row order. */
    private record Predicted(long[] labels, double[][] columns) {
    }

    private Predicted predict(Path run, String... input) throws IOException {
        Path out = dir.resolve(run.getFileName() + "-pred.csv");
        String[] args = Stream.concat(Stream.of("predict", "--model", run.toString(), "--out", out.toString()),
                Arrays.stream(input)).toArray(String[]::new);
        MainRun p = MainRun.of(args);
        assertEquals(0, p.code(), p.err());
        Path part;
        try (Stream<Path> files = Files.list(out)) {
            part = files.filter(f -> f.getFileName().toString().endsWith(".csv")).findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(part);
        List<long[]> labels = new ArrayList<>();
        double[][] columns = new double[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            assertEquals(i - 1, Long.parseLong(cells[0]), "rows in input order");
            double prediction = Double.parseDouble(cells[1]);
            labels.add(new long[]{(long) prediction});
            double[] rest = cells.length > 2
                    ? Arrays.stream(cells, 2, cells.length).mapToDouble(Double::parseDouble).toArray()
                    : new double[]{prediction};
            columns[i - 1] = rest;
        }
        return new Predicted(labels.stream().mapToLong(l -> l[0]).toArray(), columns);
    }

    /** The first {@code width} columns of a CSV file with a header: the features, in the order train takes them. */
    private static double[][] csvFeatures(Path csv, int width) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        double[][] x = new double[lines.size() - 1][width];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            for (int j = 0; j < width; j++) {
                x[i - 1][j] = Double.parseDouble(cells[j]);
            }
        }
        return x;
    }
}
