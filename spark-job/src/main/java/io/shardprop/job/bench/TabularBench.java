package io.shardprop.job.bench;

import io.shardprop.job.io.SparkRun;
import io.shardprop.job.ml.ShardPropClassifier;
import io.shardprop.job.ml.ShardPropRegressor;
import io.shardprop.job.config.TrainOptions;
import io.shardprop.job.model.ModelFiles;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import scala.jdk.javaapi.CollectionConverters;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Spark ML programs as a new user writes them, on the small tabular sets {@code scripts/tabular.py} makes: for the
 * regressions (diabetes, Friedman #1) a pipeline {@code StandardScaler → ShardPropRegressor} (its defaults, a
 * {@code CrossValidator} over weight decay × activation) against {@code StandardScaler → LinearRegression}, R² on the held-out
 * 20 % (scikit-learn's figures from {@code sklearn.json} beside them); on two targets a row (an array label), one fit
 * of {@code StandardScaler → ShardPropRegressor} (its defaults) against a {@code LinearRegression} a target; on iris, a {@code CrossValidator} fit of
 * {@code ShardPropClassifier} against MLPC's over grids of the same size, timed; on the 95/5 set, balanced accuracy
 * of {@code ShardPropClassifier} with and without class weights ({@code weightCol}).
 */
public final class TabularBench {

    /** The folder of the CSV files and {@code sklearn.json}, and where the figures go (null: nowhere). */
    public record Settings(String data, String json) {
    }

    private final Settings settings;

    public TabularBench(Settings settings) {
        this.settings = settings;
    }

    public int run() throws Exception {
        SparkSession spark = SparkRun.session("ShardProp tabular bench");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("blas", io.shardprop.core.linalg.Blas.info().summary());
        Map<String, Object> sklearn = readSklearn();
        try {
            for (String set : List.of("diabetes", "friedman1")) {
                out.put(set, regression(spark, set, sklearn));
            }
            out.put("friedman1x2", twoTargets(spark, sklearn));
            out.put("iris", crossValidatedClassifiers(spark));
            out.put("imbalanced", classWeights(spark));
        } finally {
            spark.stop();
        }
        if (settings.json() != null) {
            Files.writeString(new File(settings.json()).toPath(), ModelFiles.JSON.writeValueAsString(out) + "\n",
                    StandardCharsets.UTF_8);
        }
        return 0;
    }

    /** The rows of {@code name}.csv with a {@code features} vector of its {@code x*} columns. */
    private Dataset<Row> read(SparkSession spark, String name) {
        Dataset<Row> raw = spark.read().option("header", "true").option("inferSchema", "true")
                .csv(new File(settings.data(), name + ".csv").getAbsolutePath());
        String[] xs = Arrays.stream(raw.columns()).filter(c -> c.startsWith("x")).toArray(String[]::new);
        return new VectorAssembler().setInputCols(xs).setOutputCol("raw").transform(raw)
                .select("raw", "label", "test").persist(StorageLevel.MEMORY_AND_DISK());
    }

    private static StandardScaler scaler() {
        return new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true).setWithStd(true);
    }

    private Map<String, Object> regression(SparkSession spark, String set, Map<String, Object> sklearn) {
        Dataset<Row> all = read(spark, set);
        Dataset<Row> train = all.filter("not test");
        Dataset<Row> test = all.filter("test");
        RegressionEvaluator r2 = new RegressionEvaluator().setMetricName("r2");
        ShardPropRegressor ours = new ShardPropRegressor();
        ParamMap[] grid = new ParamGridBuilder()
                .addGrid((org.apache.spark.ml.param.DoubleParam) ours.param(TrainOptions.WEIGHT_DECAY), new double[]{1e-4, 5.0})
                .addGrid(activation(ours), CollectionConverters.asScala(List.of("relu", "tanh"))).build();
        long t = System.nanoTime();
        CrossValidatorModel cv = new CrossValidator().setEstimator(new Pipeline().setStages(
                        new PipelineStage[]{scaler(), ours})).setEstimatorParamMaps(grid).setEvaluator(r2).setNumFolds(3)
                .setSeed(1).fit(train);
        double oursSeconds = seconds(t);
        double oursR2 = r2.evaluate(cv.transform(test));
        t = System.nanoTime();
        PipelineModel linear = new Pipeline().setStages(new PipelineStage[]{scaler(), new LinearRegression()}).fit(train);
        double linearSeconds = seconds(t);
        double linearR2 = r2.evaluate(linear.transform(test));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", all.count());
        m.put("shardprop_r2", oursR2);
        m.put("shardprop_cv_seconds", oursSeconds);
        m.put("shardprop_best", best(cv));
        m.put("linear_regression_r2", linearR2);
        m.put("linear_regression_seconds", linearSeconds);
        Object sk = sklearn.get(set);
        if (sk instanceof Map<?, ?> s) {
            m.put("sklearn_mlp_r2", s.get("MLPRegressor"));
            m.put("sklearn_linear_r2", s.get("LinearRegression"));
        }
        System.out.printf(Locale.ROOT, "%s: held-out R² ShardPropRegressor (CrossValidator, %d fits) %.4f in %.1f s, "
                        + "Spark LinearRegression %.4f, scikit-learn MLPRegressor %s, LinearRegression %s%n", set,
                grid.length * 3 + 1, oursR2, oursSeconds, linearR2, m.get("sklearn_mlp_r2"), m.get("sklearn_linear_r2"));
        all.unpersist();
        return m;
    }

    /**
     * Two targets a row ({@code y0}, {@code y1}) as one array label: {@code StandardScaler → ShardPropRegressor} with
     * its defaults (one fit, one network of two outputs), each target's held-out R² and their mean, against a
     * {@code LinearRegression} a target.
     */
    private Map<String, Object> twoTargets(SparkSession spark, Map<String, Object> sklearn) {
        Dataset<Row> raw = spark.read().option("header", "true").option("inferSchema", "true")
                .csv(new File(settings.data(), "friedman1x2.csv").getAbsolutePath());
        String[] xs = Arrays.stream(raw.columns()).filter(c -> c.startsWith("x")).toArray(String[]::new);
        Dataset<Row> all = new VectorAssembler().setInputCols(xs).setOutputCol("raw").transform(raw)
                .withColumn("label", functions.array(functions.col("y0"), functions.col("y1")))
                .select("raw", "label", "y0", "y1", "test").persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> train = all.filter("not test");
        Dataset<Row> test = all.filter("test");
        long t = System.nanoTime();
        PipelineModel ours = new Pipeline().setStages(new PipelineStage[]{scaler(), new ShardPropRegressor()}).fit(train);
        double oursSeconds = seconds(t);
        Dataset<Row> scored = ours.transform(test).withColumn("p", org.apache.spark.ml.functions.vector_to_array(
                functions.col("prediction"), "float64"));
        double[] oursR2 = new double[2], linearR2 = new double[2];
        t = System.nanoTime();
        for (int j = 0; j < 2; j++) {
            String y = "y" + j;
            oursR2[j] = new RegressionEvaluator().setMetricName("r2").setLabelCol(y).setPredictionCol("p" + j)
                    .evaluate(scored.withColumn("p" + j, functions.col("p").getItem(j)));
            PipelineModel linear = new Pipeline().setStages(new PipelineStage[]{scaler(),
                    new LinearRegression().setLabelCol(y)}).fit(train);
            linearR2[j] = new RegressionEvaluator().setMetricName("r2").setLabelCol(y).evaluate(linear.transform(test));
        }
        double linearSeconds = seconds(t);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", all.count());
        m.put("shardprop_r2_targets", List.of(oursR2[0], oursR2[1]));
        m.put("shardprop_r2", (oursR2[0] + oursR2[1]) / 2);
        m.put("shardprop_seconds", oursSeconds);
        m.put("linear_regression_r2_targets", List.of(linearR2[0], linearR2[1]));
        m.put("linear_regression_r2", (linearR2[0] + linearR2[1]) / 2);
        m.put("linear_regression_seconds", linearSeconds);
        if (sklearn.get("friedman1x2") instanceof Map<?, ?> s) {
            m.put("sklearn_mlp_r2", s.get("MLPRegressor"));
            m.put("sklearn_mlp_r2_targets", s.get("MLPRegressor_targets"));
            m.put("sklearn_linear_r2", s.get("LinearRegression"));
            m.put("sklearn_linear_r2_targets", s.get("LinearRegression_targets"));
        }
        System.out.printf(Locale.ROOT, "friedman1x2: held-out R² of two targets, ShardPropRegressor (defaults, one fit) "
                        + "%.4f and %.4f (mean %.4f) in %.1f s, Spark LinearRegression (one a target) mean %.4f, "
                        + "scikit-learn MLPRegressor %s, LinearRegression %s%n", oursR2[0], oursR2[1],
                m.get("shardprop_r2"), oursSeconds, m.get("linear_regression_r2"), m.get("sklearn_mlp_r2_targets"),
                m.get("sklearn_linear_r2_targets"));
        all.unpersist();
        return m;
    }

    @SuppressWarnings("unchecked")
    private static org.apache.spark.ml.param.Param<String> activation(ShardPropRegressor r) {
        return (org.apache.spark.ml.param.Param<String>) r.param(TrainOptions.ACTIVATION);
    }

    /** The best grid point's Params, by name. */
    private static Map<String, Object> best(CrossValidatorModel cv) {
        double[] metrics = cv.avgMetrics();
        int b = 0;
        for (int i = 1; i < metrics.length; i++) {
            if (cv.getEvaluator().isLargerBetter() ? metrics[i] > metrics[b] : metrics[i] < metrics[b]) {
                b = i;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (var p : cv.getEstimatorParamMaps()[b].toList()) {
            m.put(p.param().name(), p.value());
        }
        return m;
    }

    private Map<String, Object> crossValidatedClassifiers(SparkSession spark) {
        Dataset<Row> all = read(spark, "iris");
        Dataset<Row> train = all.filter("not test");
        Dataset<Row> test = all.filter("test");
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        int[] layers = {4, 10, 3};
        ShardPropClassifier ours = new ShardPropClassifier().setLayers(layers);
        MultilayerPerceptronClassifier mlpc = new MultilayerPerceptronClassifier().setLayers(layers).setSeed(1L);
        Map<String, Object> m = new LinkedHashMap<>();
        // each twice, alternating, so that neither pays the session's first-use costs alone; the second of each counts
        for (int round = 0; round < 2; round++) {
            m.put("mlpc", cv(train, test, mlpc, new ParamGridBuilder()
                    .addGrid(mlpc.maxIter(), new int[]{100, 200}).addGrid(mlpc.stepSize(), new double[]{0.03, 0.1})
                    .build(), accuracy));
            m.put("shardprop", cv(train, test, ours, new ParamGridBuilder()
                    .addGrid((org.apache.spark.ml.param.DoubleParam) ours.param(TrainOptions.WEIGHT_DECAY), new double[]{1e-4, 1e-2})
                    .addGrid(ours.maxIter(), new int[]{30, 300}).build(), accuracy));
        }
        double ratio = (double) ((Map<?, ?>) m.get("shardprop")).get("seconds")
                / (double) ((Map<?, ?>) m.get("mlpc")).get("seconds");
        m.put("time_ratio", ratio);
        System.out.printf(Locale.ROOT, "iris: CrossValidator fit (4 grid points x 3 folds + refit) ShardPropClassifier "
                        + "%.2f s, accuracy %.4f; MLPC %.2f s, accuracy %.4f; ShardProp's time / MLPC's %.2fx%n",
                ((Map<?, ?>) m.get("shardprop")).get("seconds"), ((Map<?, ?>) m.get("shardprop")).get("accuracy"),
                ((Map<?, ?>) m.get("mlpc")).get("seconds"), ((Map<?, ?>) m.get("mlpc")).get("accuracy"), ratio);
        all.unpersist();
        return m;
    }

    private static Map<String, Object> cv(Dataset<Row> train, Dataset<Row> test, Estimator<?> estimator,
                                          ParamMap[] grid, Evaluator evaluator) {
        long t = System.nanoTime();
        CrossValidatorModel cv = new CrossValidator().setEstimator(new Pipeline().setStages(
                        new PipelineStage[]{scaler(), estimator})).setEstimatorParamMaps(grid).setEvaluator(evaluator)
                .setNumFolds(3).setSeed(1).fit(train);
        double s = seconds(t);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", s);
        m.put("accuracy", evaluator.evaluate(cv.transform(test)));
        return m;
    }

    private Map<String, Object> classWeights(SparkSession spark) {
        Dataset<Row> all = read(spark, "imbalanced");
        long n = all.filter("not test").count();
        long positives = all.filter("not test and label = 1").count();
        // balanced weights, as scikit-learn's class_weight="balanced": n / (classes · count of the row's class)
        Dataset<Row> weighted = all.withColumn("w", functions.when(functions.col("label").equalTo(1),
                (double) n / (2.0 * positives)).otherwise((double) n / (2.0 * (n - positives))));
        Dataset<Row> train = weighted.filter("not test");
        Dataset<Row> test = weighted.filter("test");
        Map<String, Object> m = new LinkedHashMap<>();
        for (boolean w : new boolean[]{false, true}) {
            ShardPropClassifier c = new ShardPropClassifier();
            if (w) {
                c.setWeightCol("w");
            }
            PipelineModel model = new Pipeline().setStages(new PipelineStage[]{scaler(), c}).fit(train);
            double balanced = balancedAccuracy(model.transform(test));
            m.put(w ? "weighted_balanced_accuracy" : "unweighted_balanced_accuracy", balanced);
        }
        System.out.printf(Locale.ROOT, "imbalanced 95/5: balanced accuracy of ShardPropClassifier %.4f unweighted, "
                + "%.4f with class weights (weightCol)%n", m.get("unweighted_balanced_accuracy"),
                m.get("weighted_balanced_accuracy"));
        all.unpersist();
        return m;
    }

    /** The mean over the classes of each class's recall. */
    static double balancedAccuracy(Dataset<Row> scored) {
        List<Row> r = scored.groupBy("label").agg(functions.avg(functions.when(
                functions.col("prediction").equalTo(functions.col("label")), 1.0).otherwise(0.0))).collectAsList();
        return r.stream().mapToDouble(x -> x.getDouble(1)).average().orElse(Double.NaN);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readSklearn() {
        File f = new File(settings.data(), "sklearn.json");
        try {
            Map<String, Object> m = ModelFiles.JSON.readValue(f, Map.class);
            return (Map<String, Object>) m.getOrDefault("r2", Map.of());
        } catch (java.io.IOException e) {
            return Map.of();
        }
    }

    private static double seconds(long t) {
        return (System.nanoTime() - t) / 1e9;
    }
}
