package io.shardprop.core.optim;

import java.util.Map;

/**
 * Gradient descent with optional heavy-ball momentum and L2 weight decay:
 * {@code g' = g + λw}; without momentum {@code w ← w − lr·g'}; with it {@code v ← μv + g'},
 * {@code w ← w − lr·v} (PyTorch's form). With μ = λ = 0 this is the notebook's {@code W −= lr · grad}.
 */
public final class Sgd extends StepCount {

    private final double momentum;
    private final double weightDecay;
    private final double[] velocity;

    public Sgd(int size, double momentum, double weightDecay) {
        if (momentum < 0 || momentum >= 1 || weightDecay < 0) {
            throw new IllegalArgumentException("momentum must be in [0, 1) and weight decay ≥ 0, got "
                    + momentum + ", " + weightDecay);
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.velocity = momentum > 0 ? new double[size] : new double[0];
    }

    @Override
    public void step(double[] params, double[] grad, double lr) {
        for (int i = 0; i < params.length; i++) {
            double g = weightDecay > 0 ? grad[i] + weightDecay * params[i] : grad[i];
            if (momentum > 0) {
                velocity[i] = momentum * velocity[i] + g;
                g = velocity[i];
            }
            params[i] -= lr * g;
        }
        counted();
    }

    @Override
    public Map<String, double[]> state() {
        return momentum > 0 ? Map.of("velocity", velocity) : Map.of();
    }

    @Override
    public String id() {
        return momentum > 0 ? "momentum" : "sgd";
    }
}
