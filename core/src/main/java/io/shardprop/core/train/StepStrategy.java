package io.shardprop.core.train;

import io.shardprop.core.model.Stats;
import io.shardprop.core.optim.Optimizer;

/**
 * The kind of update the {@link Trainer}'s loop makes: a {@link SynchronousStep} (the summed gradient of a
 * step's blocks) or a {@link LocalRound} (the replicas' summed weight changes after a round of local steps).
 * Everything around the update (the epochs, the divergence checks, the listener, the test pass) is the
 * trainer's one loop, the same for both.
 */
interface StepStrategy {

    /** Epoch {@code epoch}'s updates over {@code blocks} training blocks. */
    Epoch epoch(int blocks, int epoch);

    /** What an update sums, as the subject of a sentence: {@code the gradient is}, {@code the weight changes are}. */
    String sumIs();

    /** One epoch's planned updates, in order. */
    interface Epoch {

        /** Updates in the epoch (steps, or rounds). */
        int updates();

        /** What update {@code u} (0-based) is called after {@code epoch E/N}: {@code " step 2/5"}, {@code ""}. */
        String name(int u);

        /**
         * Sums update {@code u} at {@code params} into {@code direction} (when its loss is finite).
         *
         * @param optimizer the optimizer {@link #apply} will step (read only here: local steps start from the
         *                  replicas' inner state it keeps)
         * @return the forward passes' loss sum (NaN if not finite), correct and row counts
         */
        Stats sum(int u, double[] params, Optimizer optimizer, GradientSource source, double[] direction)
                throws Exception;

        /** Updates {@code params} by {@code optimizer} from the summed, finite {@code direction} of update {@code u}. */
        void apply(int u, Stats sums, double[] params, double[] direction, Optimizer optimizer);
    }
}
