package io.shardprop.job.ml;

import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.Activation;
import io.shardprop.core.model.Loss;
import io.shardprop.core.optim.LrSchedule;
import io.shardprop.core.optim.OptimizerKind;
import io.shardprop.job.SparkTestBase;
import io.shardprop.job.config.TrainOptions;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MLlib's {@code MultilayerPerceptronClassifier} itself as the oracle: sigmoid hidden layers, softmax cross-entropy,
 * its initial weights and its {@code gd} solver (a constant step on the mean gradient; with equal blocks its mean of
 * block means is the mean) give its weights after a few iterations, and ShardProp's classifier with
 * {@code activation sigmoid}, {@code loss xent}, bias vectors, plain full-batch SGD and the same weights reaches the
 * same weights. The flat layouts agree: MLlib stores each layer's {@code numOut × numIn} matrix column-major, which
 * is ShardProp's row-major {@code in × out}, and its bias after it, which is ShardProp's ones-column row for the
 * first layer and {@code b} for the others.
 */
class MlpcParityTest extends SparkTestBase {

    @Test
    void sigmoidLayersAndMlpcsGdReachMlpcsWeights() {
        int[] layers = {6, 7, 5, 3};
        int rows = 256;  // two of MLPC's 128-row blocks in its one partition: the mean of block means is the mean
        SplittableRandom g = new SplittableRandom(11);
        java.util.List<Row> data = new java.util.ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int y = i % 3;
            double[] x = new double[layers[0]];
            for (int j = 0; j < x.length; j++) {
                x[j] = (j % 3 == y ? 1.0 : 0.0) + g.nextGaussian();
            }
            data.add(org.apache.spark.sql.RowFactory.create(Vectors.dense(x), (double) y));
        }
        Dataset<Row> df = spark.createDataFrame(data, ShardPropClassifierTest.SCHEMA).repartition(1).cache();
        int count = 0;
        for (int l = 0; l + 1 < layers.length; l++) {
            count += layers[l] * layers[l + 1] + layers[l + 1];
        }
        SplittableRandom r = new SplittableRandom(5);
        double[] w0 = new double[count];
        for (int i = 0; i < count; i++) {
            w0[i] = r.nextDouble(-0.8, 0.8);
        }
        for (int iterations : new int[]{1, 4}) {
            MultilayerPerceptronClassificationModel mlpc = new MultilayerPerceptronClassifier().setLayers(layers)
                    .setSolver("gd").setStepSize(0.5).setMaxIter(iterations).setTol(0.0).setBlockSize(128)
                    .setInitialWeights(Vectors.dense(w0.clone())).fit(df);  // MLPC's gd moves the vector's own array
            ShardPropModel ours = new ShardPropClassifier().setLayers(layers).setMaxIter(iterations).setStepSize(0.5)
                    .set(TrainOptions.ACTIVATION, Activation.SIGMOID).set(TrainOptions.LOSS, Loss.XENT)
                    .set(TrainOptions.BIAS, true).set(TrainOptions.OPTIMIZER, OptimizerKind.SGD)
                    .set(TrainOptions.BATCH_SIZE, 0).set(TrainOptions.WEIGHT_DECAY, 0.0)
                    .set(TrainOptions.LR_SCHEDULE, LrSchedule.Kind.CONSTANT).set(TrainOptions.PRECISION, Precision.FLOAT64)
                    .set(TrainOptions.SYNCS_PER_EPOCH, 0).setInitialWeights(Vectors.dense(w0.clone())).fit(df);
            ShardPropClassifier given = new ShardPropClassifier().setLayers(layers).setMaxIter(1)
                    .setInitialWeights(Vectors.dense(w0.clone()));
            given.fit(df);
            assertEquals(Vectors.dense(w0), given.getInitialWeights(), "fit leaves the initialWeights Param as it was");
            double[] expected = mlpc.weights().toArray();
            double[] actual = ours.savedModel().params();
            assertEquals(expected.length, actual.length);
            double worst = 0;
            double moved = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1e-3, Math.abs(expected[i])));
                moved = Math.max(moved, Math.abs(expected[i] - w0[i]));
            }
            System.out.printf("MLPC gd parity, %d iterations: worst relative difference %.2e (weights moved up to %.3f)%n",
                    iterations, worst, moved);
            assertTrue(moved > 1e-3, "MLPC's steps moved the weights: " + moved);
            assertTrue(worst <= 1e-9, iterations + " iterations: worst relative difference " + worst);
        }
    }
}
