package io.shardprop.core.optim;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

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

    /** The length of the flat state ({@link #saveState}) of an optimizer for {@code size} parameters. */
    public int stateSize(int size) {
        return switch (kind) {
            case SGD -> 0;
            case MOMENTUM -> size;
            case ADAM -> 2 * size;
        };
    }

    /**
     * Writes {@code factor ×} every state array of {@code o}, in the order of their names, to {@code into} from
     * {@code offset}: one flat vector ({@link #stateSize} long) that {@link #loadState} reads back.
     */
    public static void saveState(Optimizer o, double[] into, int offset, double factor) {
        int at = offset;
        for (double[] a : sorted(o).values()) {
            for (double x : a) {
                into[at++] = x * factor;
            }
        }
    }

    /** Sets {@code o}'s state arrays from the flat vector {@link #saveState} wrote at {@code offset}. */
    public static void loadState(Optimizer o, double[] from, int offset) {
        int at = offset;
        for (double[] a : sorted(o).values()) {
            System.arraycopy(from, at, a, 0, a.length);
            at += a.length;
        }
    }

    private static Map<String, double[]> sorted(Optimizer o) {
        return new TreeMap<>(o.state());
    }
}
