package io.shardprop.core.optim;

import java.io.Serializable;

/**
 * An optimizer's name and settings without its state: what executors need to start a fresh inner optimizer
 * for every round of local steps ({@link io.shardprop.core.train.LocalSteps}).
 *
 * @param kind        which optimizer
 * @param momentum    momentum coefficient (momentum)
 * @param beta1       first-moment decay (adam)
 * @param beta2       second-moment decay (adam)
 * @param weightDecay L2 penalty added to the gradient (sgd, momentum) or decoupled decay (adam, as AdamW)
 */
public record OptimizerSpec(OptimizerKind kind, double momentum, double beta1, double beta2, double weightDecay)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A new optimizer with zero state for {@code size} parameters. */
    public Optimizer create(int size) {
        return Optimizer.create(kind, size, momentum, beta1, beta2, weightDecay);
    }
}
