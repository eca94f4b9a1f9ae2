package io.shardprop.job.ml;

import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Loss;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.OptimizerKind;
import io.shardprop.job.config.TrainOptions;

import io.shardprop.job.Main;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.model.SavedModel;
import io.shardprop.job.testing.TinyData;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ShardPropClassifier}: the same weights as {@code train}, any width and class count, clear errors. */
class ShardPropClassifierTest extends SparkTestBase {

    @TempDir
    static Path dir;
    @TinyData(train = 120, test = 40, seed = 5)
    static Path data;

    static final StructType SCHEMA = new StructType().add("features", SQLDataTypes.VectorType())
            .add("label", DataTypes.DoubleType);

    /** Two Gaussian blobs in {@code width} dimensions, labels 0 and 1. */
    static Dataset<Row> blobs(int n, int width, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int y = i % 2;
            double[] x = new double[width];
            for (int j = 0; j < width; j++) {
                x[j] = (y == 1 ? 1.5 : -1.5) * (j % 2 == 0 ? 1 : -1) + r.nextGaussian();
            }
            rows.add(RowFactory.create(Vectors.dense(x), (double) y));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    @Test
    void fitGivesTheWeightsOfTrainBitForBit() throws IOException {
        Path out = dir.resolve("run");
        String[] options = {"--epochs", "3", "--hidden", "8", "--loss", "xent", "--lr", "0.05", "--batch-size", "20",
            "--optimizer", "momentum", "--momentum", "0.9", "--weight-decay", "0", "--lr-schedule", "cosine",
            "--init", "he", "--bias", "--replicas", "2", "--syncs-per-epoch", "2", "--seed", "3"};
        List<String> train = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString()));
        train.addAll(List.of(options));
        assertEquals(0, Main.run(train.toArray(String[]::new)));
        double[] expected = SavedModel.load(new HadoopFs(sc.hadoopConfiguration()), out.toString()).params();

        Dataset<Row> frame = IdxFrames.labeled(spark, data.resolve("train-images-idx3-ubyte").toString(),
                data.resolve("train-labels-idx1-ubyte").toString());
        ShardPropModel fitted = new ShardPropClassifier().setLayers(new int[]{784, 8, 10}).setMaxIter(3)
                .set(TrainOptions.LOSS, Loss.XENT).setStepSize(0.05).set(TrainOptions.BATCH_SIZE, 20)
                .set(TrainOptions.OPTIMIZER, OptimizerKind.MOMENTUM).set(TrainOptions.MOMENTUM, 0.9)
                .set(TrainOptions.WEIGHT_DECAY, 0.0).set(TrainOptions.LR_SCHEDULE, LrSchedule.Kind.COSINE)
                .set(TrainOptions.INIT, Init.HE).set(TrainOptions.BIAS, true).set(TrainOptions.REPLICAS, 2)
                .set(TrainOptions.SYNCS_PER_EPOCH, 2).setSeed(3).set(TrainOptions.PRECISION, Precision.FLOAT64)
                .fit(frame);
        assertArrayEquals(expected, fitted.savedModel().params(), "fit and train: the same trainer, the same bits");
        assertEquals(3, fitted.summary().objectiveHistory().length);
    }

    /**
     * The estimator's defaults are {@code train}'s preset but for the shift: {@code train --config
     * conf/mnist.properties} and a default {@code ShardPropClassifier} with {@code shift} 1 give the same bits
     * (the epochs, hidden width and batch size made small for these 120 rows, in both).
     */
    @Test
    void theDefaultsAreThePresetOfConfMnistPropertiesButForShift() throws IOException {
        assertEquals(0, new ShardPropClassifier().get(TrainOptions.SHIFT),
                "no shift by default: the data need not be images");
        Path out = dir.resolve("preset");
        assertEquals(0, Main.run("train", "--config", "../conf/mnist.properties", "--data", data.toString(),
                "--out", out.toString(), "--epochs", "2", "--hidden", "8", "--batch-size", "40"));
        double[] expected = SavedModel.load(new HadoopFs(sc.hadoopConfiguration()), out.toString()).params();
        Dataset<Row> frame = IdxFrames.labeled(spark, data.resolve("train-images-idx3-ubyte").toString(),
                data.resolve("train-labels-idx1-ubyte").toString());
        ShardPropModel fitted = new ShardPropClassifier().setMaxIter(2).set(TrainOptions.HIDDEN, new int[]{8})
                .set(TrainOptions.BATCH_SIZE, 40)
                .set(TrainOptions.SHIFT, 1).fit(frame);
        assertArrayEquals(expected, fitted.savedModel().params(), "the defaults differ from conf/mnist.properties");
    }

    @Test
    void anyWidthAndClassCountFromTheDataWithARawPredictionForBinaryEvaluators() {
        Dataset<Row> df = blobs(200, 7, 1);
        ShardPropClassifier c = new ShardPropClassifier().set(TrainOptions.HIDDEN, new int[]{6}).setMaxIter(15)
                .set(TrainOptions.BATCH_SIZE, 20)
                .setStepSize(0.1);
        ShardPropModel m = c.fit(df);
        assertEquals(8, m.savedModel().layout().inputs(), "7 features and the ones column");
        assertEquals(2, m.savedModel().layout().classes());
        double[] loss = m.summary().objectiveHistory();
        assertTrue(loss[loss.length - 1] < loss[0], java.util.Arrays.toString(loss));
        Dataset<Row> scored = m.transform(blobs(100, 7, 2));
        assertTrue(List.of(scored.columns()).containsAll(List.of("rawPrediction", "prediction", "probability")));
        double auc = new BinaryClassificationEvaluator().evaluate(scored);
        assertTrue(auc > 0.95, "area under ROC " + auc);
    }

    @Test
    void theEstimatorSavesAndLoadsWithItsParams() throws IOException {
        ShardPropClassifier c = new ShardPropClassifier().set(TrainOptions.HIDDEN, new int[]{12, 6}).setMaxIter(7)
                .set(TrainOptions.LOSS, Loss.SEED);
        String path = dir.resolve("estimator").toString();
        c.write().overwrite().save(path);
        ShardPropClassifier back = ShardPropClassifier.load(path);
        assertEquals(c.uid(), back.uid());
        assertArrayEquals(new int[]{12, 6}, back.get(TrainOptions.HIDDEN));
        assertEquals(7, back.getMaxIter());
        assertEquals(Loss.SEED, back.get(TrainOptions.LOSS));
        assertEquals("seed", back.getOrDefault(back.getParam("loss")), "a choice is saved as its name");
        assertEquals(0.2, back.getStepSize(), "defaults come back too");
    }

    static Dataset<Row> rows(Row... rows) {
        return spark.createDataFrame(List.of(rows), SCHEMA);
    }

    static String problem(ShardPropClassifier c, Dataset<Row> df) {
        return assertThrows(IllegalArgumentException.class, () -> c.fit(df)).getMessage();
    }

    /** The mean of the per-class recalls of {@code model} on {@code rows} (labels 0 and 1). */
    static double balancedAccuracy(ShardPropModel model, Dataset<Row> rows) {
        double[] recall = new double[2];
        for (int c = 0; c < 2; c++) {
            Dataset<Row> of = model.transform(rows.filter("label = " + c));
            recall[c] = of.filter("prediction = label").count() / (double) of.count();
        }
        return (recall[0] + recall[1]) / 2;
    }

    @Test
    void classWeightsRaiseTheBalancedAccuracyOfAnImbalancedSet() {
        // 95/5: the minority class shifted by 1.2 in two of four dimensions; 4000 rows to train, 4000 held out
        StructType schema = SCHEMA.add("w", DataTypes.DoubleType);
        SplittableRandom r = new SplittableRandom(11);
        List<Row> train = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < 8000; i++) {
            int y = r.nextDouble() < 0.05 ? 1 : 0;
            double[] x = new double[4];
            for (int j = 0; j < 4; j++) {
                x[j] = (y == 1 && j < 2 ? 1.2 : 0) + r.nextGaussian();
            }
            (i % 2 == 0 ? train : test).add(RowFactory.create(Vectors.dense(x), (double) y, 0.0));
        }
        long positives = train.stream().filter(row -> row.getDouble(1) == 1).count();
        double n = train.size();
        List<Row> weighted = new ArrayList<>();
        for (Row row : train) {  // scikit-learn's class_weight="balanced": n / (classes · count of the class)
            double w = n / (2.0 * (row.getDouble(1) == 1 ? positives : n - positives));
            weighted.add(RowFactory.create(row.get(0), row.get(1), w));
        }
        Dataset<Row> held = spark.createDataFrame(test, schema);
        ShardPropClassifier mlp = new ShardPropClassifier().setLayers(new int[]{4, 16, 2}).setMaxIter(20).setSeed(2);
        double plain = balancedAccuracy(mlp.fit(spark.createDataFrame(train, schema)), held);
        double balanced = balancedAccuracy(mlp.copy(new ParamMap()).setWeightCol("w")
                .fit(spark.createDataFrame(weighted, schema)), held);
        System.out.printf("95/5 set, balanced accuracy: unweighted %.4f, class weights %.4f%n", plain, balanced);
        assertTrue(balanced > plain + 0.05, "balanced accuracy: unweighted " + plain + ", class weights " + balanced);
    }

    @Test
    void badDataIsRefusedNamingTheColumnAndRow() {
        ShardPropClassifier c = new ShardPropClassifier().setMaxIter(1);
        Row good = RowFactory.create(Vectors.dense(1, 2, 3), 1.0);
        String m = problem(c, rows(good, RowFactory.create(Vectors.dense(1, Double.NaN, 3), 0.0)));
        assertTrue(m.contains("row 1: 'features'[1] is NaN"), m);
        m = problem(c, rows(good, RowFactory.create(Vectors.dense(1, 2, 3), 2.5)));
        assertTrue(m.contains("row 1: 'label' is 2.5, not an integer"), m);
        m = problem(c, rows(good, RowFactory.create(Vectors.dense(1, 2, 3), -1.0)));
        assertTrue(m.contains("'label' is -1.0"), m);
        m = problem(c, rows(good, good, RowFactory.create(Vectors.dense(1, 2), 0.0)));
        assertTrue(m.contains("has 2 values, earlier rows have 3") || m.contains("rows of different widths"), m);
        m = problem(c.copy(new ParamMap()).setLayers(new int[]{4, 5, 2}), rows(good, good));
        assertTrue(m.contains("layers[0] is 4 but 'features' has 3 values"), m);
        m = problem(c.copy(new ParamMap()).setLayers(new int[]{3, 5, 2}),
                rows(good, RowFactory.create(Vectors.dense(1, 2, 3), 2.0)));
        assertTrue(m.contains("'label' is 2.0, not an integer in 0..1"), m);
        m = problem(c.copy(new ParamMap()).setFeaturesCol("pixels"), rows(good));
        assertTrue(m.contains("no column 'pixels'"), m);
        Dataset<Row> strings = spark.createDataFrame(List.of(RowFactory.create("a", 1.0)),
                new StructType().add("features", DataTypes.StringType).add("label", DataTypes.DoubleType));
        m = problem(c, strings);
        assertTrue(m.contains("column 'features' is string, expected a vector"), m);
        m = problem(c.copy(new ParamMap()).set(TrainOptions.BATCH_SIZE, 5)
                .set(TrainOptions.REPLICAS, 2), rows(good));
        assertTrue(m.contains("param batchSize 5 must be a multiple of param replicas 2"), m);  // Params by their names
        m = problem(c.copy(new ParamMap()).set(TrainOptions.SHIFT, 1), rows(good));
        assertTrue(m.contains("the 3 features of a row are not a square image; give param imageHeight"), m);
        m = problem(c.copy(new ParamMap()).set(TrainOptions.SHIFT, 1)
                .set(TrainOptions.IMAGE_HEIGHT, 3), rows(good));
        assertTrue(m.contains("param shift 1 must be smaller than the images' sides (3 x 1)"), m);
    }
}
