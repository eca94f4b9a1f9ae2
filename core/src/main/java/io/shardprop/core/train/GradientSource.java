package io.shardprop.core.train;

import io.shardprop.core.data.Deformation;
import io.shardprop.core.model.Stats;

/**
 * Where the trainer gets its sums: the gradient of {@code Σ −log p[y]} and the loss and correct counts over
 * a set of blocks, at given parameters. The single-process {@link LocalData} and the Spark job implement
 * it; the trainer's loop is the same for both.
 */
public interface GradientSource {

    /** Number of blocks (indices {@code 0 … blocks()−1}). */
    int blocks();

    /**
     * Sums over the blocks listed in {@code blocks} (null: all of them) at {@code params}, each block's images
     * deformed by {@code deformation} first ({@link Deformation#apply(io.shardprop.core.data.Block, long)} with {@code deformSeed}).
     *
     * @param grad receives the summed gradient (overwritten)
     */
    Stats lossAndGradient(double[] params, int[] blocks, Deformation deformation, long deformSeed, double[] grad);

    /** {@link #lossAndGradient(double[], int[], Deformation, long, double[])} on the inputs as they are. */
    default Stats lossAndGradient(double[] params, int[] blocks, double[] grad) {
        return lossAndGradient(params, blocks, Deformation.NONE, 0L, grad);
    }

    /** Loss and correct counts over all blocks, forward only. */
    default Stats evaluate(double[] params) {
        return evaluation(params).stats();
    }

    /**
     * All blocks, forward only ({@link EvaluationSums}): loss, counts, confusion matrix and the worst mistakes
     * (as many as the source keeps, none by default).
     */
    EvaluationSums evaluation(double[] params);

    /**
     * One round of local steps ({@link LocalSteps}) from {@code params}: every replica's weighted delta and
     * step figures, summed exactly (and their inner states after the deltas when the plan averages them, every
     * replica starting from {@code innerState}: null otherwise). Training blocks must be laid out so that each
     * replica's blocks are together.
     */
    default RoundSums localSteps(double[] params, double[] innerState, LocalSteps plan) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not run local steps");
    }

    /** Names the work that follows, e.g. {@code epoch 3/50} (Spark shows it as the job description). */
    default void describe(String what) {
    }
}
