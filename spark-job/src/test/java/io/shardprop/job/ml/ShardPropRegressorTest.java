package io.shardprop.job.ml;

import io.shardprop.job.SparkTestBase;
import io.shardprop.job.config.TrainOptions;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ShardPropRegressor}: MLP regression in a Spark ML pipeline, beyond a linear model where the data is not. */
class ShardPropRegressorTest extends SparkTestBase {

    @TempDir
    static Path dir;

    static final StructType SCHEMA = new StructType().add("raw", SQLDataTypes.VectorType())
            .add("label", DataTypes.DoubleType).add("test", DataTypes.BooleanType).add("w", DataTypes.DoubleType);

    /**
     * Friedman #1 (scikit-learn's {@code make_friedman1}): 10 features uniform in [0, 1), the target
     * {@code 10 sin(π x0 x1) + 20 (x2 − 0.5)² + 10 x3 + 5 x4 + N(0, 1)} (the other five are noise), shifted by
     * {@code offset} so that the targets are far from 0; every fifth row held out.
     */
    static Dataset<Row> friedman(int n, long seed, double offset) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[10];
            for (int j = 0; j < 10; j++) {
                x[j] = r.nextDouble();
            }
            double y = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4]
                    + r.nextGaussian() + offset;
            rows.add(RowFactory.create(Vectors.dense(x), y, i % 5 == 0, 1.0));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }

    static StandardScaler scaler() {
        return new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true).setWithStd(true);
    }

    @Test
    void itsDefaultsBeatALinearModelOnANonLinearTargetAndTheModelSavesAndLoads() throws Exception {
        Dataset<Row> all = friedman(3000, 7, 300.0).cache();
        Dataset<Row> train = all.filter("not test");
        Dataset<Row> test = all.filter("test");
        RegressionEvaluator r2 = new RegressionEvaluator().setMetricName("r2");
        PipelineModel ours = new Pipeline().setStages(new PipelineStage[]{scaler(), new ShardPropRegressor()}).fit(train);
        PipelineModel linear = new Pipeline().setStages(new PipelineStage[]{scaler(), new LinearRegression()}).fit(train);
        double oursR2 = r2.evaluate(ours.transform(test));
        double linearR2 = r2.evaluate(linear.transform(test));
        assertTrue(oursR2 > linearR2 + 0.05 && oursR2 > 0.8, "R² " + oursR2 + " against the linear model's " + linearR2);

        ShardPropRegressionModel fitted = (ShardPropRegressionModel) ours.stages()[1];
        assertTrue(fitted.summary() != null && fitted.savedModel().manifest().targetScaling() != null);
        double mean = fitted.savedModel().manifest().targetScaling().mean().get(0);
        assertTrue(mean > 305 && mean < 325, "the targets' mean, recorded: " + mean);
        String path = dir.resolve("pipeline").toString();
        ours.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        List<Row> a = ours.transform(test).select("prediction").collectAsList();
        List<Row> b = loaded.transform(test).select("prediction").collectAsList();
        assertEquals(a, b, "the same predictions, bit for bit");
    }

    @Test
    void huberLossAndUnscaledTargetsAreChoicesAndBadParamsAreNamed() {
        Dataset<Row> train = friedman(600, 8, 0.0).filter("not test");
        Dataset<Row> scaled = scaler().fit(train).transform(train);
        ShardPropRegressionModel huber = new ShardPropRegressor().set(TrainOptions.LOSS, io.shardprop.core.model.Loss.HUBER)
                .set(TrainOptions.TARGET_SCALING, io.shardprop.job.config.TargetScale.NONE).setMaxIter(3).fit(scaled);
        assertEquals("huber", huber.savedModel().manifest().loss().mode());
        assertEquals(null, huber.savedModel().manifest().targetScaling());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ShardPropRegressor()
                .set(TrainOptions.BIAS, false).fit(scaled));
        assertTrue(e.getMessage().contains("param targetScaling standardize folds the targets' mean into the last "
                + "layer's bias"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ShardPropRegressor()
                .set(TrainOptions.LOSS, io.shardprop.core.model.Loss.XENT).fit(scaled));
        assertTrue(e.getMessage().contains("xent is a classification loss"), e.getMessage());
    }

    @Test
    void aNegativeOrNonFiniteWeightIsRefusedNamingTheRow() {
        Dataset<Row> train = friedman(50, 9, 0.0);
        Dataset<Row> scaled = scaler().fit(train).transform(train)
                .withColumn("w", org.apache.spark.sql.functions.expr("if(label > 1e9 or monotonically_increasing_id() "
                        + "!= 17, 1.0, -2.0)"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ShardPropRegressor().setWeightCol("w").setMaxIter(1).fit(scaled.coalesce(1)));
        assertTrue(e.getMessage().contains("row 17: weight 'w' is -2.0: weights must be finite and ≥ 0"),
                e.getMessage());
    }

    /**
     * Two targets a row of very different scales: Friedman #1's (plus 300), and {@code 1000 · x5 · x6 − 40} with a
     * little noise, as a vector label and as an array label.
     */
    static Dataset<Row> twoTargets(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType())
                .add("label", SQLDataTypes.VectorType()).add("labels", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("test", DataTypes.BooleanType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[10];
            for (int j = 0; j < 10; j++) {
                x[j] = r.nextDouble() * 2 - 1;
            }
            double a = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4]
                    + 0.5 * r.nextGaussian() + 300;
            double b = 1000 * x[5] * x[6] - 40 + 10 * r.nextGaussian();
            rows.add(RowFactory.create(Vectors.dense(x), Vectors.dense(a, b), List.of(a, b).toArray(new Double[0]),
                    i % 5 == 0));
        }
        return spark.createDataFrame(rows, schema);
    }

    /** R² of output {@code j} of the vector {@code prediction} against the vector {@code label}. */
    static double r2(Dataset<Row> scored, int j) {
        List<Row> rows = scored.select("label", "prediction").collectAsList();
        double mean = rows.stream().mapToDouble(row -> ((Vector) row.get(0)).apply(j))
                .average().orElseThrow();
        double sse = 0, sst = 0;
        for (Row row : rows) {
            double t = ((Vector) row.get(0)).apply(j);
            double p = ((Vector) row.get(1)).apply(j);
            sse += (t - p) * (t - p);
            sst += (t - mean) * (t - mean);
        }
        return 1 - sse / sst;
    }

    @Test
    void aVectorOrArrayLabelTrainsAModelOfSeveralOutputsEachInItsOwnUnits() throws Exception {
        Dataset<Row> all = twoTargets(3000, 12).cache();
        Dataset<Row> train = all.filter("not test");
        Dataset<Row> test = all.filter("test");
        ShardPropRegressor mlp = new ShardPropRegressor().setMaxIter(60);
        assertEquals(SQLDataTypes.VectorType(), mlp.transformSchema(train.schema()).apply("prediction").dataType());
        ShardPropRegressionModel fromVectors = mlp.fit(train);
        ShardPropRegressionModel fromArrays = mlp.copy(new ParamMap()).setLabelCol("labels")
                .fit(train);
        assertEquals(2, fromVectors.savedModel().layout().classes());
        assertEquals(List.of(fromVectors.transform(test).select("prediction").collectAsList()),
                List.of(fromArrays.transform(test).select("prediction").collectAsList()),
                "an array label trains as the same vector label, bit for bit");
        Dataset<Row> scored = fromVectors.transform(test);
        double a = r2(scored, 0), b = r2(scored, 1);
        System.out.printf("two targets, held-out R²: %.4f and %.4f%n", a, b);
        assertTrue(a > 0.9 && b > 0.9, "held-out R² of each output: " + a + ", " + b);
        List<Double> means = fromVectors.savedModel().manifest().targetScaling().mean();
        assertTrue(means.size() == 2 && means.get(0) > 300 && means.get(0) < 320 && Math.abs(means.get(1) + 40) < 15,
                "each output's mean, recorded: " + means);

        String path = dir.resolve("two-outputs").toString();
        fromVectors.write().overwrite().save(path);
        assertEquals(scored.select("prediction").collectAsList(),
                ShardPropRegressionModel.load(path).transform(test).select("prediction").collectAsList());
    }

    @Test
    void rowsWithAnotherTargetCountOrANonFiniteTargetAreRefusedNamingTheRow() {
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType())
                .add("label", DataTypes.createArrayType(DataTypes.DoubleType));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Double[] y = i == 13 ? new Double[]{1.0, 2.0, 3.0} : new Double[]{(double) i, 2.0 * i};
            rows.add(RowFactory.create(Vectors.dense(i, 1), y));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ShardPropRegressor().setMaxIter(1).fit(spark.createDataFrame(rows, schema).coalesce(1)));
        assertTrue(e.getMessage().contains("row 13: 'label' has 3 targets, earlier rows have 2"), e.getMessage());
        rows.set(13, RowFactory.create(Vectors.dense(13, 1), new Double[]{1.0, Double.NaN}));
        e = assertThrows(IllegalArgumentException.class,
                () -> new ShardPropRegressor().setMaxIter(1).fit(spark.createDataFrame(rows, schema).coalesce(1)));
        assertTrue(e.getMessage().contains("row 13: 'label'[1] is NaN, not a finite number"), e.getMessage());
        StructType strings = new StructType().add("features", SQLDataTypes.VectorType())
                .add("label", DataTypes.createArrayType(DataTypes.StringType));
        e = assertThrows(IllegalArgumentException.class, () -> new ShardPropRegressor().fit(spark.createDataFrame(
                List.of(RowFactory.create(Vectors.dense(1, 2), new String[]{"a"})), strings)));
        assertTrue(e.getMessage().contains("column 'label' is array<string>, expected numbers (or vectors or arrays of "
                + "numbers: several targets a row)"), e.getMessage());
    }
}
