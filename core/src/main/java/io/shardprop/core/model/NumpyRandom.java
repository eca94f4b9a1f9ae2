package io.shardprop.core.model;

/**
 * numpy's legacy {@code RandomState(seed)}: the MT19937 generator seeded with {@code init_genrand}, its
 * 53-bit {@code random_sample}, and {@code standard_normal} by the polar Box–Muller method with the
 * second deviate cached, as in numpy's {@code legacy_gauss}. {@code new NumpyRandom(0).nextGaussian()}
 * returns what {@code numpy.random.RandomState(0).normal()} does, so {@code --init normal --seed S}
 * draws the same weights as the notebook run with {@code RandomState(S)}: the uniform draws bit for bit,
 * the normal ones too except where Java's {@code Math.log} and glibc's {@code log} round differently
 * (seen: 20 of 79,500 deviates differ, by one or two units in the last place).
 *
 * <p>Not thread-safe; one instance per stream.
 */
public final class NumpyRandom {

    private static final int N = 624;
    private static final int M = 397;

    private final int[] mt = new int[N];
    private int mti;
    private boolean hasGauss;
    private double gauss;

    /** @param seed 0 ≤ seed < 2³², as numpy requires for an integer seed. */
    public NumpyRandom(long seed) {
        if (seed < 0 || seed > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("seed must be between 0 and 2^32 - 1, got " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        mti = N;
    }

    /** The next 32 random bits (MT19937 {@code genrand_int32}), as an unsigned value in a long. */
    public long nextInt32() {
        if (mti >= N) {
            twist();
        }
        int y = mt[mti++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xFFFF_FFFFL;
    }

    /** Uniform in [0, 1) with 53 random bits ({@code random_sample}). */
    public double nextDouble() {
        long a = nextInt32() >>> 5;
        long b = nextInt32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** A standard normal deviate ({@code standard_normal}, legacy polar method). */
    public double nextGaussian() {
        if (hasGauss) {
            hasGauss = false;
            return gauss;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * nextDouble() - 1.0;
            x2 = 2.0 * nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
            int next = mt[(k + M) % N] ^ (y >>> 1);
            mt[k] = (y & 1) != 0 ? next ^ 0x9908b0df : next;
        }
        mti = 0;
    }
}
