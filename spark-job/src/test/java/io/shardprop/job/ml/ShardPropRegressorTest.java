package io.shardprop.job.ml;

import io.shardprop.job.SparkTestBase;
import io.shardprop.job.config.TrainOptions;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
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
}
