package io.shardprop.core.optim;

import java.util.Map;

/**
 * Adam (Kingma &amp; Ba, 2015) with decoupled weight decay (AdamW, Loshchilov &amp; Hutter, 2019):
 * <pre>
 *   w ← w − lr·λ·w
 *   m ← β1·m + (1 − β1)·g          v ← β2·v + (1 − β2)·g²
 *   w ← w − lr · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
 * </pre>
 */
public final class Adam extends StepCount {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final double[] m;
    private final double[] v;

    public Adam(int size, double beta1, double beta2, double eps, double weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps > 0 && weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam: need 0 ≤ beta1, beta2 < 1, eps > 0, weight decay ≥ 0; got "
                    + beta1 + ", " + beta2 + ", " + eps + ", " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new double[size];
        this.v = new double[size];
    }

    @Override
    public void step(double[] params, double[] grad, double lr) {
        long t = counted();
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < params.length; i++) {
            double g = grad[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            double w = weightDecay > 0 ? params[i] - lr * weightDecay * params[i] : params[i];
            params[i] = w - lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
        }
    }

    @Override
    public Map<String, double[]> state() {
        return Map.of("m", m, "v", v);
    }

    @Override
    public String id() {
        return "adam";
    }
}
