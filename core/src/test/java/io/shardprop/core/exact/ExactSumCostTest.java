package io.shardprop.core.exact;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The cost of {@link ExactSum#add(double[], int)} on a gradient of the notebook model's size (79,500 =
 * 785·100 + 100·10 parameters) next to a plain {@code y += x} loop, printed (a measurement, never an
 * assertion: tests are not timing-dependent). What it asserts is that the timed sums are right.
 */
class ExactSumCostTest {

    private static final int SIZE = 79_500;
    private static final int VECTORS = 8;
    /** CPU time of this thread: the machine is shared, wall time would count other processes' turns. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** Gradient-like vectors: {@code N(0,1) · 10^U(-8, 2)}, and a third exact zeros (MNIST's blank border pixels). */
    private static double[][] gradients() {
        SplittableRandom r = new SplittableRandom(42);
        double[][] g = new double[VECTORS][SIZE];
        for (double[] v : g) {
            for (int i = 0; i < SIZE; i++) {
                v[i] = r.nextInt(3) == 0 ? 0.0 : gaussian(r) * Math.pow(10, r.nextDouble(-8, 2));
            }
        }
        return g;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Nanoseconds per component of {@code reps} exact vector adds. */
    private static double exactNs(double[][] g, ExactSum s, int reps) {
        long t = CPU.getCurrentThreadCpuTime();
        for (int k = 0; k < reps; k++) {
            s.add(g[k % VECTORS], 0);
        }
        return (CPU.getCurrentThreadCpuTime() - t) / ((double) reps * SIZE);
    }

    /** Nanoseconds per component of {@code reps} plain {@code y += x} loops. */
    private static double plainNs(double[][] g, double[] y, int reps) {
        long t = CPU.getCurrentThreadCpuTime();
        for (int k = 0; k < reps; k++) {
            double[] x = g[k % VECTORS];
            for (int i = 0; i < SIZE; i++) {
                y[i] += x[i];
            }
        }
        return (CPU.getCurrentThreadCpuTime() - t) / ((double) reps * SIZE);
    }

    @Test
    void exactAddOfAGradientCostsAFewNanosecondsPerComponent() {
        double[][] g = gradients();
        int reps = 800;
        ExactSum warm = new ExactSum(SIZE);
        exactNs(g, warm, 400);
        plainNs(g, new double[SIZE], 400);

        ExactSum s = new ExactSum(SIZE);
        double[] y = new double[SIZE];
        double exact = Double.MAX_VALUE;
        double plain = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {                // best of 3: the machine is shared
            exact = Math.min(exact, exactNs(g, s, reps));
            plain = Math.min(plain, plainNs(g, y, reps));
        }
        ExactSum merged = null;
        double[] out = new double[SIZE];
        double mergeMs = Double.MAX_VALUE;
        double toDoublesMs = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {                // once per task and epoch: best of 5 after JIT
            long t = CPU.getCurrentThreadCpuTime();
            merged = new ExactSum(SIZE).merge(s).merge(warm);
            mergeMs = Math.min(mergeMs, (CPU.getCurrentThreadCpuTime() - t) / 2e6);
            t = CPU.getCurrentThreadCpuTime();
            s.toDoubles(out);
            toDoublesMs = Math.min(toDoublesMs, (CPU.getCurrentThreadCpuTime() - t) / 1e6);
        }

        System.out.printf("ExactSum.add(double[%d]): %.2f ns/component, %.0f us per vector; "
                        + "plain y += x: %.2f ns/component, %.0f us per vector (%.1fx); "
                        + "merge %.2f ms, toDoubles %.2f ms (CPU time, best of 3 and 5)%n",
                SIZE, exact, exact * SIZE / 1e3, plain, plain * SIZE / 1e3, exact / plain, mergeMs, toDoublesMs);

        for (int i = 0; i < SIZE; i += 997) {                   // the timed work really summed the gradients
            double scale = 0;
            for (double[] v : g) {
                scale += Math.abs(v[i]);
            }
            assertEquals(y[i], out[i], 1e-12 * 3 * reps * scale, "component " + i);
        }
        double sum = s.toDouble(SIZE - 1) + warm.toDouble(SIZE - 1);
        assertEquals(sum, merged.toDouble(SIZE - 1), 1e-15 * Math.abs(sum));
    }
}
