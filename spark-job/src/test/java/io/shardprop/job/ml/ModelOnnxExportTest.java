package io.shardprop.job.ml;

import io.shardprop.job.SparkTestBase;
import io.shardprop.job.config.TrainOptions;
import io.shardprop.job.testing.OnnxChecker;
import io.shardprop.job.testing.OnnxRuntime;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code exportOnnx} of the two Spark ML models: ONNX Runtime gives their {@code transform}'s figures. */
class ModelOnnxExportTest extends SparkTestBase {

    @TempDir
    Path dir;

    @Test
    void aFittedClassifierExportsWhatItsTransformGives() throws IOException {
        Dataset<Row> df = ShardPropClassifierTest.blobs(200, 5, 3);
        ShardPropModel model = new ShardPropClassifier().set(TrainOptions.HIDDEN, new int[]{6}).setMaxIter(8)
                .set(TrainOptions.BATCH_SIZE, 20).setStepSize(0.1).fit(df);
        Path file = dir.resolve("c.onnx");
        model.exportOnnx(file.toString(), "float64");
        OnnxChecker.check(file);
        List<Row> rows = model.transform(df).select("features", "prediction", "probability").collectAsList();
        double[][] x = rows.stream().map(r -> ((Vector) r.get(0)).toArray()).toArray(double[][]::new);
        OnnxRuntime.Outputs got = OnnxRuntime.run(Files.readAllBytes(file), "features", x, false);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals((long) rows.get(i).getDouble(1), got.labels()[i], "row " + i);
            assertArrayEquals(((Vector) rows.get(i).get(2)).toArray(), got.probabilities()[i], 1e-12, "row " + i);
        }
        IOException exists = assertThrows(IOException.class, () -> model.exportOnnx(file.toString()));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.exportOnnx(dir.resolve("x.onnx").toString(), "int8"));
    }

    @Test
    void aFittedRegressionExportsItsPredictionsInFloat32() throws IOException {
        Dataset<Row> df = ShardPropRegressorTest.friedman(400, 2, 10).withColumnRenamed("raw", "features");
        ShardPropRegressionModel model = new ShardPropRegressor().setMaxIter(5).fit(df);
        Path file = dir.resolve("r.onnx");
        model.exportOnnx(file.toString());
        OnnxChecker.check(file);
        List<Row> rows = model.transform(df).select("features", "prediction").collectAsList();
        double[][] x = rows.stream().map(r -> ((Vector) r.get(0)).toArray()).toArray(double[][]::new);
        OnnxRuntime.Outputs got = OnnxRuntime.run(Files.readAllBytes(file), "features", x, true);
        for (int i = 0; i < rows.size(); i++) {
            double e = rows.get(i).getDouble(1);
            assertEquals(e, got.predictions()[i][0], 1e-5 * Math.max(1, Math.abs(e)), "row " + i);
        }
    }

    @Test
    void aRegressionOfTwoOutputsExportsEachInItsOwnUnits() throws IOException {
        Dataset<Row> df = ShardPropRegressorTest.twoTargets(300, 5);
        ShardPropRegressionModel model = new ShardPropRegressor().setMaxIter(5).fit(df);
        Path file = dir.resolve("two.onnx");
        model.exportOnnx(file.toString(), "float64");
        OnnxChecker.check(file);
        List<Row> rows = model.transform(df).select("features", "prediction").collectAsList();
        double[][] x = rows.stream().map(r -> ((Vector) r.get(0)).toArray()).toArray(double[][]::new);
        OnnxRuntime.Outputs got = OnnxRuntime.run(Files.readAllBytes(file), "features", x, false);
        for (int i = 0; i < rows.size(); i++) {
            double[] e = ((Vector) rows.get(i).get(1)).toArray();
            assertEquals(2, e.length);
            assertArrayEquals(e, got.predictions()[i], 1e-12 * Math.max(1, Math.abs(e[1])), "row " + i);
        }
    }

    @Test
    void aModelWithoutWeightsSaysSo() {
        // the no-argument constructors exist for ServiceLoader (Spark Connect's registry), not for use
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ShardPropModel().transform(ShardPropClassifierTest.blobs(10, 3, 1)));
        assertTrue(e.getMessage().contains("has no weights: fit one or load one"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new ShardPropRegressionModel().write());
        assertTrue(new ShardPropModel().toString().contains("no weights"));
    }
}
