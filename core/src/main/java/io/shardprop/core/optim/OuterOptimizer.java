package io.shardprop.core.optim;

import java.util.Map;

/**
 * The driver's update after a round of local steps, from the replicas' averaged delta
 * {@code Δ = w − mean(w_r)} (a pseudo-gradient: the local steps' combined descent direction):
 * {@code average}: {@code w ← w − lr·Δ} (FedAvg and local SGD at {@code lr = 1}: the mean of the replicas'
 * weights); {@code nesterov}: {@code v ← μv + Δ}, {@code w ← w − lr·(Δ + μv)} (DiLoCo's outer step, with
 * {@code lr = 0.7, μ = 0.9} there). Plain loops, so the same inputs give the same bits everywhere.
 */
public final class OuterOptimizer extends StepCount {

    /** The update: {@code average} or {@code nesterov}, as above. */
    public enum Kind {
        AVERAGE, NESTEROV;

        /** {@code average} or {@code nesterov}: the name options and model.json use. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Kind kind;
    private final double momentum;
    private final double[] velocity;
    /** The replicas' averaged inner optimizer state ({@link InnerState#AVERAGE}), or empty. */
    private final double[] inner;
    private final int size;

    /**
     * @param kind     the update
     * @param momentum μ of nesterov (ignored by average)
     */
    public OuterOptimizer(Kind kind, int size, double momentum) {
        this(kind, size, momentum, 0);
    }

    /**
     * As {@link #OuterOptimizer(Kind, int, double)}, also keeping the replicas' averaged inner state of
     * {@code innerStateSize} values ({@link #innerState}), zero at first, checkpointed with the rest of the state.
     */
    public OuterOptimizer(Kind kind, int size, double momentum, int innerStateSize) {
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("outer momentum must be in [0, 1), got " + momentum);
        }
        this.kind = kind;
        this.momentum = kind == Kind.NESTEROV ? momentum : 0.0;
        this.velocity = kind == Kind.NESTEROV ? new double[size] : new double[0];
        this.inner = new double[innerStateSize];
        this.size = size;
    }

    /** The number of parameters this optimizer steps. */
    public int size() {
        return size;
    }

    /** The replicas' averaged inner optimizer state the next round starts from (a live view; empty if not kept). */
    public double[] innerState() {
        return inner;
    }

    @Override
    public void step(double[] params, double[] delta, double lr) {
        for (int i = 0; i < params.length; i++) {
            double d = delta[i];
            if (velocity.length > 0) {
                velocity[i] = momentum * velocity[i] + d;
                d += momentum * velocity[i];
            }
            params[i] -= lr * d;
        }
        counted();
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> state = new java.util.TreeMap<>();
        if (velocity.length > 0) {
            state.put("velocity", velocity);
        }
        if (inner.length > 0) {
            state.put("inner_state", inner);
        }
        return state;
    }

    @Override
    public String id() {
        return "outer-" + kind.id();
    }
}
