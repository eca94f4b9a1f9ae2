package io.shardprop.core.model;

import java.io.Serializable;

/**
 * A regression's targets as the network trains on them: {@code (t − mean) / std}, so that the learning rate and the
 * initial weights suit any target scale. {@link #fold} turns the weights trained so into the weights of the same
 * model on the targets as they are: the last layer's weights times {@code std}, its bias times {@code std} plus
 * {@code mean}. A saved model is the folded one: it predicts in the targets' own units with no extra step.
 *
 * @param mean the targets' mean, one per output
 * @param std  their standard deviation, one per output (1 where they do not vary)
 */
public record TargetScaling(double[] mean, double[] std) implements Serializable {

    public TargetScaling {
        mean = mean.clone();
        std = std.clone();
        if (mean.length != std.length) {
            throw new IllegalArgumentException("TargetScaling: " + mean.length + " means, " + std.length + " deviations");
        }
        for (int j = 0; j < std.length; j++) {
            if (!Double.isFinite(mean[j]) || !Double.isFinite(std[j]) || !(std[j] > 0)) {
                throw new IllegalArgumentException("TargetScaling: output " + j + " has mean " + mean[j] + " and std "
                        + std[j] + " (need finite values and std > 0)");
            }
        }
    }

    /** One output's scaling; a {@code std} of 0 (constant targets) counts as 1. */
    public static TargetScaling of(double mean, double std) {
        return of(new double[]{mean}, new double[]{std});
    }

    /** Each output's scaling; a {@code std} of 0 (an output whose targets are constant) counts as 1. */
    public static TargetScaling of(double[] mean, double[] std) {
        double[] s = std.clone();
        for (int j = 0; j < s.length; j++) {
            s[j] = s[j] > 0 ? s[j] : 1.0;
        }
        return new TargetScaling(mean, s);
    }

    /**
     * The weights {@code params} (trained on scaled targets) as weights on the targets themselves, in a new array.
     *
     * @throws IllegalArgumentException when the last layer has no bias vector to take the mean
     */
    public double[] fold(Layout layout, double[] params) {
        int last = layout.layers() - 1;
        if (!layout.hasBias(last)) {
            throw new IllegalArgumentException("the targets' mean needs a bias vector in the last layer");
        }
        if (layout.classes() != mean.length) {
            throw new IllegalArgumentException("TargetScaling of " + mean.length + " outputs, the layout has "
                    + layout.classes());
        }
        double[] out = params.clone();
        int k = layout.classes();
        int w = layout.offset(last);
        int rows = layout.in(last);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < k; j++) {
                out[w + i * k + j] *= std[j];
            }
        }
        int b = w + rows * k;
        for (int j = 0; j < k; j++) {
            out[b + j] = out[b + j] * std[j] + mean[j];
        }
        return out;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }
}
