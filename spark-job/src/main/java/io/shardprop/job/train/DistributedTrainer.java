package io.shardprop.job.train;

import io.shardprop.core.data.Batch;
import io.shardprop.core.linalg.Blas;
import io.shardprop.core.model.Layout;
import io.shardprop.core.model.Stats;
import io.shardprop.core.train.EpochMetrics;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;

/**
 * Full-batch gradient descent over cached blocks, the notebook's {@code train_one_step} distributed:
 * every epoch the driver broadcasts the flat parameter vector, each partition runs forward and backward
 * on its blocks, {@code treeAggregate} sums gradients, loss and counts, and the driver applies
 * {@code W −= lr · ΣdW}. The broadcast of the updated parameters also serves the test pass.
 */
public final class DistributedTrainer {

    private static final int AGGREGATION_DEPTH = 2;

    private final JavaSparkContext sc;
    private final Layout layout;
    private final double lr;
    private final int epochs;

    public DistributedTrainer(JavaSparkContext sc, Layout layout, double lr, int epochs) {
        this.sc = sc;
        this.layout = layout;
        this.lr = lr;
        this.epochs = epochs;
    }

    /**
     * Trains {@code params} in place.
     *
     * @param test evaluated after every epoch's update; null to skip
     */
    public void train(double[] params, JavaRDD<Batch> train, JavaRDD<Batch> test, EpochListener listener)
            throws IOException {
        Broadcast<double[]> bc = sc.broadcast(params.clone());
        try {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long start = System.nanoTime();
                sc.setJobDescription("epoch " + epoch + "/" + epochs);
                BlockAggregator sums = aggregate(train, bc, true);
                Stats stats = sums.stats();
                if (stats.count() == 0) {
                    throw new IllegalStateException("epoch " + epoch + ": the training set has no samples");
                }
                Blas.axpy(params.length, -lr, sums.gradient(), 0, params, 0);
                bc.destroy();
                bc = sc.broadcast(params.clone());
                double seconds = (System.nanoTime() - start) / 1e9;

                Stats testStats = null;
                if (test != null) {
                    sc.setJobDescription("epoch " + epoch + "/" + epochs + ": test");
                    testStats = aggregate(test, bc, false).stats();
                }
                listener.onEpoch(new EpochMetrics(epoch, stats.loss(), stats.accuracy(),
                        testStats == null ? Double.NaN : testStats.loss(),
                        testStats == null ? Double.NaN : testStats.accuracy(), seconds), params);
            }
        } finally {
            bc.destroy();
            sc.setJobDescription(null);
        }
    }

    /** Loss and accuracy of {@code params} on {@code data} (a distributed forward pass). */
    public Stats evaluate(double[] params, JavaRDD<Batch> data) {
        Broadcast<double[]> bc = sc.broadcast(params.clone());
        try {
            return aggregate(data, bc, false).stats();
        } finally {
            bc.destroy();
        }
    }

    private BlockAggregator aggregate(JavaRDD<Batch> blocks, Broadcast<double[]> bc, boolean withGradient) {
        return blocks.treeAggregate(new BlockAggregator(layout, withGradient),
                (agg, block) -> agg.add(block, bc.value()), BlockAggregator::merge, AGGREGATION_DEPTH);
    }
}
