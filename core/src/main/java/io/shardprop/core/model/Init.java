package io.shardprop.core.model;

import io.shardprop.core.linalg.Mat;

import java.util.Locale;

/** Initial parameter vectors, drawn from numpy's {@code RandomState(seed)} so numpy can reproduce them. */
public enum Init {
    /**
     * The notebook's unscaled {@code N(0, 1)} for every weight, W1 first, each in C order, as
     * {@code RandomState(seed).normal(size=...)} draws them; biases (if any) zero.
     */
    NORMAL,
    /** He: {@code N(0, 2 / fan_in)} weights (ReLU layers), biases zero, including W1's bias row. */
    HE,
    /** Xavier/Glorot: {@code N(0, 2 / (fan_in + fan_out))} weights, biases zero, including W1's bias row. */
    XAVIER;

    /** A new parameter vector for {@code layout}. */
    public double[] draw(Layout layout, long seed) {
        NumpyRandom rng = new NumpyRandom(seed);
        double[] params = new double[layout.paramCount()];
        for (int l = 0; l < layout.layers(); l++) {
            Mat w = layout.weight(l, params);
            int fanIn = l == 0 ? layout.inputs() - 1 : layout.in(l); // the ones column is not an input
            double std = switch (this) {
                case NORMAL -> 1.0;
                case HE -> Math.sqrt(2.0 / fanIn);
                case XAVIER -> Math.sqrt(2.0 / (fanIn + layout.out(l)));
            };
            for (int i = 0; i < w.size(); i++) {
                w.data()[w.offset() + i] = std * rng.nextGaussian();
            }
            if (l == 0 && this != NORMAL) {
                for (int j = 0; j < w.cols(); j++) {
                    w.set(w.rows() - 1, j, 0.0); // W1's last row is the first layer's bias
                }
            }
        }
        return params;
    }

    /** The notebook's draw: {@code NORMAL.draw(layout, seed)}. */
    public static double[] normal(Layout layout, long seed) {
        return NORMAL.draw(layout, seed);
    }

    /** The command-line name. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
