package io.shardprop.core.exact;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cost {@link ExactSum}'s documentation states, on a gradient of the notebook model's size (79,500 =
 * 785·100 + 100·10 parameters), measured in bytes rather than time (tests never depend on timing): 32 bytes
 * (4 longs) per component allocated once, on the first add, and nothing more per add or merge (this thread's
 * allocation counter, exact in bytes); an empty accumulator serializes to about 100 bytes and a used one to 1
 * byte per zero component and at most 34 per other one.
 */
class ExactSumCostTest {

    private static final int SIZE = 79_500;
    private static final int VECTORS = 8;
    /** An array's header, and slack for what the JVM itself may allocate on this thread. */
    private static final long HEADER_SLACK = 1024;

    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void allocationCounter() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported(), "this JVM counts no allocated bytes per thread");
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        allocated();
        // loads and initializes ExactSum and FixedPoint (its tables), so that no class set-up is counted below
        new ExactSum(2).add(new double[]{1.5, -2}, 0).merge(new ExactSum(2).add(0, 3.0)).toDouble(1);
    }

    /** Bytes this thread has allocated so far. */
    private static long allocated() {
        return threads.getCurrentThreadAllocatedBytes();
    }

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

    @Test
    void theFirstAddAllocatesFourLongsPerComponentOnceAndLaterAddsAndMergesNothing() {
        double[][] g = gradients();
        long before = allocated();
        ExactSum s = new ExactSum(SIZE);
        ExactSum t = new ExactSum(SIZE);
        long empty = allocated() - before;
        assertTrue(empty < HEADER_SLACK, "two empty accumulators allocated " + empty + " bytes");

        before = allocated();
        s.add(g[0], 0);
        long first = allocated() - before;
        assertTrue(first >= 32L * SIZE && first < 32L * SIZE + HEADER_SLACK,
                "the first add allocated " + first + " bytes, expected 32 x " + SIZE + " and a header");
        t.add(g[1], 0);

        int adds = 100;                                         // carry passes included: one every 31 adds
        before = allocated();
        for (int k = 0; k < adds; k++) {
            s.add(g[k % VECTORS], 0);
        }
        s.merge(t);
        long later = allocated() - before;
        assertTrue(later < SIZE, adds + " adds and a merge allocated " + later + " bytes: under one byte per "
                + "component in all, where one more copy of the limbs would be " + 32L * SIZE);

        double[] plain = new double[SIZE];                      // and they summed the gradients
        double[] scale = new double[SIZE];
        for (int k = -2; k < adds; k++) {
            double[] x = k == -2 ? g[0] : k == -1 ? g[1] : g[k % VECTORS];
            for (int i = 0; i < SIZE; i++) {
                plain[i] += x[i];
                scale[i] += Math.abs(x[i]);
            }
        }
        for (int i = 0; i < SIZE; i += 997) {
            assertEquals(plain[i], s.toDouble(i), 1e-12 * (adds + 2) * scale[i], "component " + i);
        }
    }

    /**
     * The serialized size of a used accumulator whose components take {@code payload} bytes: those of an empty
     * one, the payload in chunks of at most 64 KB with a 4-byte count each and a 0 at the end, and Java
     * serialization's framing of that data (a 5-byte header per block of at most 1,024 bytes).
     */
    private static long framed(long empty, long payload) {
        long data = payload + 4 * (payload / (1 << 16) + 2);
        return empty + data + 5 * (data / 1024 + 1);
    }

    @Test
    void serializedSizeIsWithinTheDocumentedBytesPerComponent() {
        double[][] g = gradients();
        int empty = ExactSumTest.serializedSize(new ExactSum(SIZE));
        assertTrue(empty < 150, "an empty accumulator: " + empty + " bytes");

        ExactSum zeros = new ExactSum(SIZE).add(new double[SIZE], 0);
        int zeroBytes = ExactSumTest.serializedSize(zeros);
        assertTrue(zeroBytes <= framed(empty, SIZE), "all zero: " + zeroBytes + " bytes for " + SIZE + " components, "
                + "bound " + framed(empty, SIZE));

        ExactSum s = new ExactSum(SIZE);
        for (double[] v : g) {
            s.add(v, 0);
        }
        long nonZero = 0;
        for (int i = 0; i < SIZE; i++) {
            nonZero += s.toDouble(i) != 0.0 ? 1 : 0;
        }
        long bound = framed(empty, (SIZE - nonZero) + 34 * nonZero);
        int bytes = ExactSumTest.serializedSize(s);
        assertTrue(bytes <= bound, bytes + " bytes, documented bound " + bound + " (" + nonZero + " components not 0)");
    }
}
