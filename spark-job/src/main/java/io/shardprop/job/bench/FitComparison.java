package io.shardprop.job.bench;

import io.shardprop.job.config.TrainOptions;

import io.shardprop.job.data.MnistFiles;
import io.shardprop.job.ml.IdxFrames;
import io.shardprop.job.ml.ShardPropClassifier;
import io.shardprop.job.ml.ShardPropModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a Spark ML user compares: {@code fit} of MLlib's {@code MultilayerPerceptronClassifier} with its
 * defaults (l-bfgs, blocks of 128, sigmoid hidden layers) and {@link ShardPropClassifier} with the MNIST
 * preset ({@code conf/mnist.properties}: its defaults and {@code shift} 1 on these 28 x 28 images), both layers
 * [784, 100, 10], on the same cached MNIST DataFrame ({@code features} =
 * pixel / 255, {@code label}) in one SparkSession: the wall time of each {@code fit} and the test accuracy of
 * each model, through Spark's own evaluator.
 */
final class FitComparison {

    private FitComparison() {
    }

    /**
     * @param mlpcIterations MLPC's {@code maxIter} (100 in the comparison)
     * @param epochs         ShardPropClassifier's {@code maxIter}; 0 keeps its default (the preset's epochs)
     */
    static Map<String, Object> of(SparkSession spark, MnistFiles files, int mlpcIterations, int epochs) {
        Dataset<Row> train = IdxFrames.labeled(spark, files.trainImages().uri(), files.trainLabels().uri())
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> test = IdxFrames.labeled(spark, files.testImages().uri(), files.testLabels().uri())
                .persist(StorageLevel.MEMORY_AND_DISK());
        train.count();
        test.count();
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            long t = System.nanoTime();
            MultilayerPerceptronClassificationModel mlpc = new MultilayerPerceptronClassifier()
                    .setLayers(new int[]{784, 100, 10}).setMaxIter(mlpcIterations).setSeed(1L).fit(train);
            double mlpcSeconds = (System.nanoTime() - t) / 1e9;
            double mlpcAccuracy = accuracy.evaluate(mlpc.transform(test));

            t = System.nanoTime();
            ShardPropClassifier classifier = new ShardPropClassifier().set(TrainOptions.SHIFT, 1);
            if (epochs > 0) {
                classifier.setMaxIter(epochs);
            }
            ShardPropModel ours = classifier.fit(train);
            double oursSeconds = (System.nanoTime() - t) / 1e9;
            double oursAccuracy = accuracy.evaluate(ours.transform(test));

            m.put("layers", new int[]{784, 100, 10});
            m.put("mlpc", Map.of("solver", "l-bfgs (default)", "max_iter", mlpcIterations,
                    "fit_seconds", mlpcSeconds, "test_accuracy", mlpcAccuracy));
            m.put("shardprop", Map.of("recipe", "ShardPropClassifier defaults and shift 1 (the MNIST preset)", "epochs",
                    classifier.getMaxIter(), "fit_seconds", oursSeconds, "test_accuracy", oursAccuracy));
            m.put("speedup", mlpcSeconds / oursSeconds);
            m.put("accuracy_points", 100 * (oursAccuracy - mlpcAccuracy));
            return m;
        } finally {
            train.unpersist();
            test.unpersist();
        }
    }
}
