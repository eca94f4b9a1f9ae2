package io.shardprop.job.train;

import io.shardprop.core.data.Block;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.model.Stats;
import io.shardprop.core.train.GradientSource;
import io.shardprop.job.data.Blocks;
import io.shardprop.job.data.IdxFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.Arrays;

/**
 * Cached blocks on the executors as a {@link GradientSource}: each call broadcasts the flat parameter
 * vector, every partition runs forward/backward on its selected blocks into one {@link BlockAggregator},
 * and {@code treeAggregate} sums the aggregators into the driver (Spark MLlib's {@code RDDLossFunction}
 * pattern). The broadcast is destroyed after use.
 */
public final class SparkData implements GradientSource {

    private static final int AGGREGATION_DEPTH = 2;

    private final JavaSparkContext sc;
    private final JavaRDD<Block> blocks;
    private final int blockCount;
    private final Mlp model;

    public SparkData(JavaSparkContext sc, JavaRDD<Block> blocks, int blockCount, Mlp model) {
        this.sc = sc;
        this.blocks = blocks;
        this.blockCount = blockCount;
        this.model = model;
    }

    @Override
    public int blocks() {
        return blockCount;
    }

    @Override
    public void describe(String what) {
        sc.setJobDescription(what);
    }

    @Override
    public Stats lossAndGradient(double[] params, int[] selected, double[] grad) {
        BlockAggregator sums = aggregate(params, selected, true);
        System.arraycopy(sums.gradient(), 0, grad, 0, grad.length);
        return sums.stats();
    }

    @Override
    public Stats evaluate(double[] params) {
        return aggregate(params, null, false).stats();
    }

    private BlockAggregator aggregate(double[] params, int[] selected, boolean withGradient) {
        int[] sorted = selected == null ? null : Arrays.stream(selected).sorted().toArray();
        Broadcast<double[]> bc = sc.broadcast(params.clone());
        try {
            return blocks.treeAggregate(new BlockAggregator(model, withGradient),
                    (agg, b) -> sorted == null || Arrays.binarySearch(sorted, b.index()) >= 0 ? agg.add(b, bc.value()) : agg,
                    BlockAggregator::merge, AGGREGATION_DEPTH);
        } finally {
            bc.destroy();
        }
    }

    /**
     * Reads an images/labels pair into cached blocks on the executors ({@link Blocks#load}) and counts them,
     * which builds the cache once, before training.
     */
    public static SparkData load(JavaSparkContext sc, IdxFile images, IdxFile labels, int blockSize, int partitions,
                                 Mlp model, String name) {
        sc.setJobDescription("load " + name + " blocks");
        JavaRDD<Block> blocks = Blocks.load(sc, images, labels, blockSize, partitions, name);
        return new SparkData(sc, blocks, (int) blocks.count(), model);
    }

    /** Drops the cached blocks. */
    public void release() {
        blocks.unpersist(false);
    }
}
