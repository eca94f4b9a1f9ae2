package io.shardprop.job.ml;

import io.shardprop.job.Main;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.TrainedRuns;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.ElementwiseProduct;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spark ML model: same labels as {@code predict}, persistence on its own and inside a pipeline. */
class ShardPropModelTest extends SparkTestBase {

    @TempDir
    Path tmp;

    /** predict's labels for the run's test images, in input order. */
    static int[] predictLabels(TrainedRuns.Run run, Path out) {
        assertEquals(0, Main.run("predict", "--model", run.dir().toString(), "--images", run.testImages().toString(),
                "--out", out.toString()));
        return spark.read().parquet(out.toString()).orderBy("index").select("prediction").collectAsList().stream()
                .mapToInt(r -> r.getInt(0)).toArray();
    }

    static int[] labels(Dataset<Row> scored, String column) {
        return scored.orderBy("index").select(column).collectAsList().stream()
                .mapToInt(r -> (int) r.getDouble(0)).toArray();
    }

    @Test
    void givesTheSameLabelsAsPredict() {
        for (TrainedRuns.Run run : List.of(TrainedRuns.deep(), TrainedRuns.seed())) {
            int[] want = predictLabels(run, tmp.resolve(run.dir().getFileName() + ".parquet"));
            Dataset<Row> images = IdxFrames.images(spark, run.testImages().toString()).repartition(3);
            Dataset<Row> scored = ShardPropModel.fromDir(run.dir().toString()).transform(images);
            assertArrayEquals(want, labels(scored, "prediction"), run.dir().toString());
            Row first = scored.orderBy("index").first();
            Vector p = first.getAs("probability");
            assertEquals(10, p.size());
            assertEquals(1.0, Arrays.stream(p.toArray()).sum(), 1e-11);
            assertEquals(p.argmax(), (int) first.<Double>getAs("prediction").doubleValue());
        }
    }

    @Test
    void savesAndLoadsWithItsParams() throws IOException {
        TrainedRuns.Run run = TrainedRuns.deep();
        ShardPropModel model = ShardPropModel.fromDir(run.model().toString())
                .setPredictionCol("digit").setProbabilityCol("p");
        Path path = tmp.resolve("saved");
        model.write().save(path.toString());
        assertTrue(Files.isRegularFile(path.resolve("model").resolve("W1.npy")), "weights as .npy");
        assertTrue(Files.isRegularFile(path.resolve("model").resolve("b3.npy")), "bias vectors as .npy");
        assertThrows(IOException.class, () -> model.write().save(path.toString()), "exists: needs overwrite()");
        model.write().overwrite().save(path.toString());

        ShardPropModel loaded = ShardPropModel.load(path.toString());
        assertEquals(model.uid(), loaded.uid());
        assertEquals("digit", loaded.getPredictionCol());
        assertEquals("p", loaded.getProbabilityCol());
        assertEquals("features", loaded.getFeaturesCol());
        assertArrayEquals(model.savedModel().params(), loaded.savedModel().params());
        assertEquals(model.savedModel().manifest(), loaded.savedModel().manifest());

        Dataset<Row> images = IdxFrames.images(spark, run.testImages().toString());
        List<Row> a = model.transform(images).orderBy("index").select("digit", "p").collectAsList();
        List<Row> b = loaded.transform(images).orderBy("index").select("digit", "p").collectAsList();
        assertEquals(a, b);
        // the saved folder is also a model folder for the command line
        assertArrayEquals(predictLabels(run, tmp.resolve("a.parquet")), labels(loaded.transform(images), "digit"));
    }

    /** The README's example: raw pixels scaled by a standard stage, then the model; saved and reloaded. */
    @Test
    void worksInsideASavedPipeline() throws IOException {
        TrainedRuns.Run run = TrainedRuns.deep();
        Dataset<Row> test = IdxFrames.labeled(spark, run.testImages().toString(), run.testLabels().toString());
        // pixels 0..255, as an application would have them
        Dataset<Row> raw = test.withColumn("pixels", functions.udf(
                (org.apache.spark.sql.api.java.UDF1<Vector, Vector>) v -> Vectors.dense(
                        Arrays.stream(v.toArray()).map(x -> Math.round(x * 255)).toArray()),
                org.apache.spark.ml.linalg.SQLDataTypes.VectorType()).apply(functions.col("features")))
                .drop("features");

        double[] scale = new double[784];
        Arrays.fill(scale, 1 / 255.0);
        ElementwiseProduct toUnit = new ElementwiseProduct().setScalingVec(Vectors.dense(scale))
                .setInputCol("pixels").setOutputCol("features");
        ShardPropModel digits = ShardPropModel.fromDir(run.dir().toString());
        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[]{toUnit, digits}).fit(raw);

        Path path = tmp.resolve("pipeline");
        pipeline.write().overwrite().save(path.toString());
        PipelineModel loaded = PipelineModel.load(path.toString());
        Dataset<Row> scored = loaded.transform(raw);
        assertArrayEquals(labels(digits.transform(test), "prediction"), labels(scored, "prediction"));

        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
        assertEquals(run.lastEpoch()[4], accuracy, 1e-12, "the run's own test accuracy");
    }

    @Test
    void schemaErrorsNameTheColumn() {
        ShardPropModel model = ShardPropModel.fromDir(TrainedRuns.deep().dir().toString());
        Dataset<Row> images = IdxFrames.images(spark, TrainedRuns.deep().testImages().toString());
        String e = assertThrows(IllegalArgumentException.class,
                () -> model.transform(images.withColumnRenamed("features", "x"))).getMessage();
        assertTrue(e.contains("no column 'features'"), e);
        e = assertThrows(IllegalArgumentException.class,
                () -> model.setPredictionCol("index").transform(images)).getMessage();
        assertTrue(e.contains("output column 'index' already exists"), e);
        e = assertThrows(IllegalArgumentException.class, () -> ShardPropModel.fromDir(tmp.toString())).getMessage();
        assertTrue(e.contains("has neither model.json nor model/model.json"), e);
    }
}
