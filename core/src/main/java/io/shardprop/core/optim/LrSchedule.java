package io.shardprop.core.optim;

/**
 * Learning rate per step: {@code constant}: {@code lr}; {@code step}: {@code lr · γ^⌊(epoch − 1) / k⌋};
 * {@code cosine}: {@code lr · (1 + cos(π·t / T)) / 2} with {@code t} the steps done and {@code T} all steps.
 *
 * @param kind      constant, step or cosine
 * @param lr        the base learning rate
 * @param stepSize  {@code k}, epochs between decays (step)
 * @param gamma     {@code γ}, the decay factor (step)
 * @param epochs    planned epochs (cosine)
 */
public record LrSchedule(Kind kind, double lr, int stepSize, double gamma, int epochs) {

    /** The shape of the schedule. */
    public enum Kind {
        CONSTANT, STEP, COSINE;

        /** {@code constant}, {@code step} or {@code cosine}: the name options and model.json use. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public LrSchedule {
        java.util.Objects.requireNonNull(kind, "kind");
        if (stepSize < 1 || !(gamma > 0) || epochs < 1) {
            throw new IllegalArgumentException("schedule: step size ≥ 1, gamma > 0, epochs ≥ 1 required");
        }
    }

    /** The constant schedule. */
    public static LrSchedule constant(double lr) {
        return new LrSchedule(Kind.CONSTANT, lr, 1, 1.0, 1);
    }

    /**
     * @param epoch         1-based epoch
     * @param step          0-based step within the epoch
     * @param stepsPerEpoch steps in an epoch
     */
    public double at(int epoch, int step, int stepsPerEpoch) {
        return switch (kind) {
            case STEP -> lr * Math.pow(gamma, (epoch - 1) / stepSize);
            case COSINE -> {
                double t = (double) (epoch - 1) * stepsPerEpoch + step;
                double total = (double) epochs * stepsPerEpoch;
                yield lr * 0.5 * (1 + Math.cos(Math.PI * Math.min(t, total) / total));
            }
            case CONSTANT -> lr;
        };
    }
}
