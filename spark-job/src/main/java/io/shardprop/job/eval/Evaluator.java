package io.shardprop.job.eval;

import io.shardprop.core.train.EvaluationSums;
import io.shardprop.job.report.Mistake;

import java.util.List;

/**
 * An evaluation's figures from the sums of an evaluation pass ({@link EvaluationSums}: training's own
 * test pass, which {@code evaluate} runs too, so on a run's test files it gives the run's last
 * {@code test_loss} and {@code test_accuracy} bit for bit), with the mistakes as pictures of their images:
 * a mistake's inputs are its image's pixels scaled to {@code pixel / 255} (as the IDX files are read), so
 * rounding {@code 255 x} gives the bytes back.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /** The evaluation in {@code sums} (an evaluation's, e.g. a run's last test pass), for images {@code rows × cols}. */
    public static Evaluation of(EvaluationSums sums, int rows, int cols) {
        List<Mistake> worst = rows < 1 || cols < 1 ? List.of() : sums.worst().stream()
                .map(m -> new Mistake(pixels(m.inputs()), rows, cols, m.trueLabel(), m.predicted(), m.confidence()))
                .toList();
        return new Evaluation(sums.stats(), sums.confusion(), worst, sums.fit());
    }

    /** An image's bytes 0–255 from its inputs {@code pixel / 255}. */
    static byte[] pixels(double[] inputs) {
        byte[] px = new byte[inputs.length];
        for (int j = 0; j < inputs.length; j++) {
            px[j] = (byte) Math.round(inputs[j] * 255.0);
        }
        return px;
    }
}
