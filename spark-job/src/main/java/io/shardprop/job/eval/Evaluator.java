package io.shardprop.job.eval;

import io.shardprop.core.data.Block;
import io.shardprop.core.model.Mlp;
import io.shardprop.job.data.Aggregation;
import io.shardprop.job.eval.ConfusionAggregator;
import io.shardprop.job.report.Mistake;
import io.shardprop.job.report.Plots;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.List;

/**
 * Evaluates a model over blocks on the executors, as training's test pass does: broadcast the parameters,
 * one {@link ConfusionAggregator} per partition, {@link Aggregation} to the driver, destroy the broadcast.
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
        ConfusionAggregator sums;
        try {
            sums = Aggregation.aggregate(blocks, new ConfusionAggregator(model, Plots.MAX_MISTAKES),
                    (agg, b) -> agg.add(b, bc.value()), ConfusionAggregator::merge);
        } finally {
            bc.destroy();
        }
        return result(sums, rows, cols);
    }

    /** The same on blocks in this process (the single-process engine). */
    public static Evaluation evaluate(List<Block> blocks, Mlp model, double[] params, int rows, int cols) {
        ConfusionAggregator sums = new ConfusionAggregator(model, Plots.MAX_MISTAKES);
        blocks.forEach(b -> sums.add(b, params));
        return result(sums, rows, cols);
    }

    private static Evaluation result(ConfusionAggregator sums, int rows, int cols) {
        List<Mistake> worst = sums.worst().stream()
                .map(m -> new Mistake(m.pixels(), rows, cols, m.trueLabel(), m.predicted(), m.confidence()))
                .toList();
        return new Evaluation(sums.stats(), sums.confusion(), worst);
    }
}
