package io.shardprop.core.train;

import java.util.Locale;

/**
 * Stop training when the validation set's {@link Metric} has not improved for {@code patience} epochs, and keep the
 * weights of its best epoch (the first best, on a tie). {@code patience} 0: train every epoch, keep the last weights.
 */
public record EarlyStopping(int patience, Metric metric) implements java.io.Serializable {

    /** What is watched, and which way is better. */
    public enum Metric {
        LOSS(false), ACCURACY(true), RMSE(false), R2(true);

        private final boolean higherIsBetter;

        Metric(boolean higherIsBetter) {
            this.higherIsBetter = higherIsBetter;
        }

        /** Whether {@code a} is strictly better than {@code b} (anything beats NaN; NaN beats nothing). */
        public boolean better(double a, double b) {
            if (Double.isNaN(a)) {
                return false;
            }
            return Double.isNaN(b) || (higherIsBetter ? a > b : a < b);
        }

        /** Its {@code metrics.csv} column for the validation set: {@code val_loss}, {@code val_r2}, ... */
        public String column() {
            return "val_" + name().toLowerCase(Locale.ROOT);
        }

        /** This metric of an evaluation. */
        public double of(EvaluationSums e) {
            return switch (this) {
                case LOSS -> e.stats().loss();
                case ACCURACY -> e.stats().accuracy();
                case RMSE -> e.fit() == null ? Double.NaN : e.fit().rmse();
                case R2 -> e.fit() == null ? Double.NaN : e.fit().r2();
            };
        }
    }

    public static final EarlyStopping NONE = new EarlyStopping(0, Metric.LOSS);

    public EarlyStopping {
        if (patience < 0) {
            throw new IllegalArgumentException("patience " + patience + " < 0");
        }
        java.util.Objects.requireNonNull(metric, "metric");
    }

    public boolean enabled() {
        return patience > 0;
    }

    /**
     * The best epoch so far: its number (0: none yet), its metric and its weights. Mutable: {@link Trainer#train}
     * updates it; a resumed run starts from what its checkpoint recorded.
     */
    public static final class Best implements java.io.Serializable {
        private int epoch;
        private double value = Double.NaN;
        private double[] params;

        /** The best epoch, or 0 when none was measured. */
        public int epoch() {
            return epoch;
        }

        public double value() {
            return value;
        }

        /** The best epoch's weights (a copy), or null. */
        public double[] params() {
            return params == null ? null : params.clone();
        }

        /** Records epoch {@code e} as the best, with its metric and weights (copied). */
        public void set(int e, double v, double[] p) {
            epoch = e;
            value = v;
            params = p == null ? null : p.clone();
        }
    }
}
