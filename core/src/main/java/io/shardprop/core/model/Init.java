package io.shardprop.core.model;

/** Initial parameter vectors. */
public final class Init {

    private Init() {
    }

    /**
     * The notebook's unscaled {@code N(0, 1)} weights: W1 then W2 drawn in C order from
     * {@code numpy.random.RandomState(seed).normal(size=...)}, so a seed reproduces numpy's draw exactly.
     */
    public static double[] normal(Layout layout, long seed) {
        NumpyRandom rng = new NumpyRandom(seed);
        double[] params = new double[layout.paramCount()];
        for (int i = 0; i < params.length; i++) {
            params[i] = rng.nextGaussian();
        }
        return params;
    }
}
