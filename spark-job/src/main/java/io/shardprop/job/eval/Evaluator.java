package io.shardprop.job.eval;

import io.shardprop.core.train.BlockSums;
import io.shardprop.job.report.Mistake;

import java.util.List;

/**
 * An evaluation's figures from the sums of an evaluation pass ({@link BlockSums#evaluation}: training's own
 * test pass, which {@code evaluate} runs too, so on a run's test files it gives the run's last
 * {@code test_loss} and {@code test_accuracy} bit for bit), with the mistakes as pictures of their images.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /** The evaluation in {@code sums} (an evaluation's, e.g. a run's last test pass), for images {@code rows × cols}. */
    public static Evaluation of(BlockSums sums, int rows, int cols) {
        List<Mistake> worst = rows < 1 || cols < 1 ? List.of() : sums.worst().stream()
                .map(m -> new Mistake(m.pixels(), rows, cols, m.trueLabel(), m.predicted(), m.confidence()))
                .toList();
        return new Evaluation(sums.stats(), sums.confusion(), worst);
    }
}
