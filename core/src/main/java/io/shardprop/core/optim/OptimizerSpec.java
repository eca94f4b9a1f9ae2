package io.shardprop.core.optim;

import java.io.Serializable;

/**
 * An optimizer's name and settings without its state, and the one way to make an optimizer from them: the driver's
 * (without local steps), and the fresh inner optimizer executors start every round of local steps
 * ({@link io.shardprop.core.train.LocalSteps}).
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
        return switch (kind) {
            case SGD -> new Sgd(size, 0.0, weightDecay);
            case MOMENTUM -> new Sgd(size, momentum, weightDecay);
            case ADAM -> new Adam(size, beta1, beta2, 1e-8, weightDecay);
        };
    }
}
