package io.shardprop.job.eval;

import io.shardprop.core.data.Block;
import io.shardprop.core.model.Mlp;
import io.shardprop.core.train.BlockSums;
import io.shardprop.job.data.Aggregation;
import io.shardprop.job.report.Mistake;
import io.shardprop.job.report.Plots;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.List;

/**
 * Evaluates a model over blocks on the executors with training's own aggregator ({@link BlockSums}, exact):
 * broadcast the parameters, one evaluation per partition, {@link Aggregation} to the driver, destroy the
 * broadcast. On a run's test files it gives the run's last {@code test_loss} and {@code test_accuracy}
 * bit for bit.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * @param blocks labelled blocks of images {@code rows × cols} pixels
     * @param params the model's flat parameter vector (not modified)
     */
    public static Evaluation evaluate(JavaSparkContext sc, JavaRDD<Block> blocks, Mlp model, double[] params,
                                      int rows, int cols) {
        Broadcast<double[]> bc = sc.broadcast(params);
        try {
            return of(Aggregation.aggregate(blocks, BlockSums.evaluation(model, Plots.MAX_MISTAKES),
                    (agg, b) -> agg.add(b, bc.value()), BlockSums::merge), rows, cols);
        } finally {
            bc.destroy();
        }
    }

    /** The evaluation in {@code sums} (an evaluation's, e.g. a run's last test pass), for images {@code rows × cols}. */
    public static Evaluation of(BlockSums sums, int rows, int cols) {
        List<Mistake> worst = sums.worst().stream()
                .map(m -> new Mistake(m.pixels(), rows, cols, m.trueLabel(), m.predicted(), m.confidence()))
                .toList();
        return new Evaluation(sums.stats(), sums.confusion(), worst);
    }
}
