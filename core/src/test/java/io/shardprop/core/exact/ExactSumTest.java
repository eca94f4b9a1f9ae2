package io.shardprop.core.exact;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExactSumTest {

    private static final int N = 16;
    private static final BigDecimal SCALE = new BigDecimal(BigInteger.ONE.shiftLeft(ExactSum.FRACTION_BITS));
    private static final BigDecimal UNIT = new BigDecimal(Math.scalb(1.0, -ExactSum.FRACTION_BITS));

    /** A double with the given sign and unbiased exponent and a random 52-bit fraction. */
    private static double withExponent(SplittableRandom r, int exponent) {
        double x = Math.scalb(1.0 + (r.nextLong() >>> 12) * 0x1p-52, exponent);
        return r.nextBoolean() ? x : -x;
    }

    private static double huge(int k) {
        return withExponent(new SplittableRandom(k), 70);
    }

    /**
     * {@code count} vectors of {@link #N} components; the component decides the kind of data: 0–5 the whole
     * exact range {@code [2^-88, 2^80)}, 6–7 gradient-like {@code [2^-30, 2^10)}, 8 pairs {@code ±x} that cancel
     * to exactly zero, 9 huge values cancelled by their negations plus small ones, 10 {@code 1 + tiny}, 11 below the
     * exact range (truncated, subnormals, ±0), 12–15 a mix of everything.
     */
    private static double[][] data(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] v = new double[count][N];
        for (int k = 0; k < count; k++) {
            for (int i = 0; i < N; i++) {
                int kind = i < 12 ? i : r.nextInt(12);
                v[k][i] = switch (kind) {
                    case 0, 1, 2, 3, 4, 5 -> withExponent(r, r.nextInt(-88, 80));
                    case 6, 7 -> withExponent(r, r.nextInt(-30, 10));
                    case 8 -> withExponent(r, r.nextInt(-60, 60));
                    case 9 -> k < count / 3 ? huge(k)
                            : k < 2 * count / 3 ? -huge(k - count / 3) : withExponent(r, r.nextInt(-80, -20));
                    case 10 -> k == 0 ? 1.0 : withExponent(r, r.nextInt(-80, -40));
                    default -> switch (r.nextInt(4)) {
                        case 0 -> withExponent(r, r.nextInt(-160, -88));
                        case 1 -> Double.longBitsToDouble(r.nextLong(1, 1L << 52)) * (r.nextBoolean() ? 1 : -1);
                        case 2 -> r.nextBoolean() ? 0.0 : -0.0;
                        default -> withExponent(r, r.nextInt(-100, -80));
                    };
                };
            }
        }
        for (int k = 1; k < count; k += 2) {           // kind 8: the negation of the previous vector's value
            v[k][8] = -v[k - 1][8];
        }
        return v;
    }

    /**
     * The independent reference: each addend truncated toward zero to a multiple of 2^-140 (a no-op from
     * 2^-88 up), summed exactly as a BigInteger, rounded half-even by {@link BigDecimal#doubleValue()}.
     */
    private static double[] reference(double[][] v) {
        double[] out = new double[N];
        for (int i = 0; i < N; i++) {
            BigInteger sum = BigInteger.ZERO;
            for (double[] x : v) {
                sum = sum.add(new BigDecimal(x[i]).multiply(SCALE).setScale(0, RoundingMode.DOWN).toBigIntegerExact());
            }
            out[i] = new BigDecimal(sum).multiply(UNIT).doubleValue();
        }
        return out;
    }

    private static long[] bits(double[] x) {
        return Arrays.stream(x).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    /** Sums {@code v} shuffled, in random groups (vector adds at an offset, or scalar adds) merged in a random tree. */
    private static double[] sumShuffledAndGrouped(double[][] v, SplittableRandom r) {
        List<double[]> order = new ArrayList<>(Arrays.asList(v));
        for (int k = order.size() - 1; k > 0; k--) {
            order.set(k, order.set(r.nextInt(k + 1), order.get(k)));
        }
        List<ExactSum> groups = new ArrayList<>();
        for (int start = 0; start < order.size(); ) {
            int end = Math.min(order.size(), start + 1 + r.nextInt(order.size() / 2));
            ExactSum s = new ExactSum(N);
            boolean scalar = r.nextInt(4) == 0;
            int offset = r.nextInt(3);
            double[] padded = new double[N + 3];
            for (double[] x : order.subList(start, end)) {
                if (scalar) {
                    for (int i = 0; i < N; i++) {
                        s.add(i, x[i]);
                    }
                } else {
                    System.arraycopy(x, 0, padded, offset, N);
                    s.add(padded, offset);
                }
            }
            groups.add(s);
            start = end;
        }
        groups.add(new ExactSum(N));                    // an empty partition merges as zero
        while (groups.size() > 1) {
            ExactSum a = groups.remove(r.nextInt(groups.size()));
            groups.get(r.nextInt(groups.size())).merge(a);
        }
        return groups.get(0).toDoubles(new double[N]);
    }

    @Test
    void sumIsCorrectlyRoundedAndBitwiseIndependentOfOrderAndGrouping() {
        for (long seed = 1; seed <= 3; seed++) {
            double[][] v = data(seed, 600);
            long[] expected = bits(reference(v));
            assertEquals(0L, expected[8], "the ±x pairs cancel exactly");
            SplittableRandom r = new SplittableRandom(seed + 100);
            for (int trial = 0; trial < 20; trial++) {
                assertArrayEquals(expected, bits(sumShuffledAndGrouped(v, r)), "seed " + seed + " trial " + trial);
            }
        }
    }

    /** Pieces summed apart (a reduce-scatter) and put back together: the whole sum's bits, through serialization. */
    @Test
    void slicesSummedApartAndConcatenatedAreTheWholeSum() {
        for (long seed = 1; seed <= 3; seed++) {
            double[][] v = data(seed, 300);
            long[] expected = bits(reference(v));
            SplittableRandom r = new SplittableRandom(seed);
            int[] cuts = {0, 3, 3, 9, N};  // an empty piece too
            List<ExactSum> pieces = new ArrayList<>();
            for (int p = 0; p + 1 < cuts.length; p++) {
                pieces.add(new ExactSum(cuts[p + 1] - cuts[p]));
            }
            List<ExactSum> partials = new ArrayList<>();
            for (int k = 0; k < v.length; k += 1 + r.nextInt(50)) {   // partial sums of runs of addends
                ExactSum partial = new ExactSum(N);
                for (int j = k; j < Math.min(v.length, k + 50); j++) {
                    partial.add(v[j], 0);
                }
                partials.add(partial);
            }
            // the partials overlap (runs of 50 from every k): sum them all both ways
            ExactSum whole = new ExactSum(N);
            for (ExactSum partial : partials) {
                whole.merge(partial);
                for (int p = 0; p + 1 < cuts.length; p++) {
                    pieces.get(p).merge(roundTrip(partial.slice(cuts[p], cuts[p + 1])));
                }
            }
            assertArrayEquals(bits(whole.toDoubles(new double[N])),
                    bits(ExactSum.concat(pieces).toDoubles(new double[N])), "seed " + seed);
            assertEquals(N, ExactSum.concat(pieces).size());
            assertArrayEquals(bits(new double[0]), bits(ExactSum.concat(List.of()).toDoubles(new double[0])));
            ExactSum unused = ExactSum.concat(List.of(new ExactSum(2), new ExactSum(3)));
            assertArrayEquals(bits(new double[5]), bits(unused.toDoubles(new double[5])));
            assertTrue(expected.length == N);
        }
    }

    @Test
    void naiveDoubleSumsOfTheSameDataDependOnOrder() {
        double[][] v = data(1, 600);
        double[] forward = new double[N];
        double[] backward = new double[N];
        for (int k = 0; k < v.length; k++) {
            for (int i = 0; i < N; i++) {
                forward[i] += v[k][i];
                backward[i] += v[v.length - 1 - k][i];
            }
        }
        double[] exact = reference(v);
        int orderDiffers = 0;
        int wrong = 0;
        for (int i = 0; i < N; i++) {
            orderDiffers += Double.compare(forward[i], backward[i]) != 0 ? 1 : 0;
            wrong += Double.compare(forward[i], exact[i]) != 0 ? 1 : 0;
        }
        assertTrue(orderDiffers >= 4, "naive sums differ by order in only " + orderDiffers + " components");
        assertTrue(wrong >= 4, "naive sums are wrong in only " + wrong + " components");
    }

    private static double sum(double... xs) {
        ExactSum s = new ExactSum(1);
        for (double x : xs) {
            s.add(0, x);
        }
        return s.toDouble(0);
    }

    @Test
    void roundsToNearestWithTiesToEven() {
        double big = 0x1p53;
        assertEquals(big, sum(big, 1));                                 // tie: 2^53 is even
        assertEquals(big + 4, sum(big, 3));                             // tie: 2^53 + 4 is even
        assertEquals(big + 2, sum(big, 1, 0x1p-140));                   // above the tie: sticky in the lowest limb
        assertEquals(-big - 2, sum(-big, -1, -0x1p-140));
        assertEquals(-big, sum(-big, -1));
        assertEquals(0x1p62, sum(0x1p62, 0x1p9));                       // tie: the ulp of 2^62 is 2^10
        assertEquals(0x1p62 + 0x1p10, sum(0x1p62, 0x1p9, 0x1p-20));     // sticky among the bits dropped from lo
        assertEquals(1.0, sum(1, 0x1p-53));
        assertEquals(Math.nextUp(1.0), sum(1, 0x1p-53, 0x1p-100));
        assertEquals(1.0, sum(1, -0x1p-54));                           // tie below 1: 1.0 is even
        assertEquals(Math.nextDown(1.0), sum(1, -0x1p-54, -0x1p-140));
        assertEquals(0x1p-140, sum(0x1p-100, 0x1p-140, -0x1p-100));
        assertEquals(0x1p79 * 1023, repeated(1023, 0x1p79));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(sum(-0.0, -0.0)));
    }

    private static double repeated(int count, double x) {
        double[] xs = new double[count];
        Arrays.fill(xs, x);
        return sum(xs);
    }

    @Test
    void valuesBelowTheResolutionAreTruncatedTowardZeroOneByOne() {
        double tiny = 0x1p-141;
        assertEquals(0.0, sum(tiny, tiny, tiny, tiny));                         // each is truncated to 0 first
        assertEquals(0.0, sum(-tiny, -tiny));                                   // toward zero, not toward -∞
        assertEquals(0.0, sum(Double.MIN_VALUE, -Double.MIN_NORMAL));
        assertEquals(0x1p-139, sum(0x1.8p-140, 0x1.8p-140));                    // 1.5 ulp → 1 ulp each
        assertEquals(-0x1p-139, sum(-0x1.8p-140, -0x1.8p-140));
        assertEquals(Math.nextUp(0x1p-88), sum(Math.nextUp(0x1p-88)));          // exact from 2^-88 up
        assertEquals(0x1p-89, sum(Math.nextUp(0x1p-89)));                       // its last bit is 2^-141
    }

    @Test
    void addendsOfTwoToTheEightyAreRejectedWithTheirComponent() {
        ExactSum s = new ExactSum(5);
        s.add(new double[]{0, Math.nextDown(0x1p80), -Math.nextDown(0x1p80), 0, 0}, 0);
        ExactSumException e = assertThrows(ExactSumException.class,
                () -> s.add(new double[]{1, 2, 3, -0x1p80, 5}, 0));
        assertEquals(3, e.component());
        assertTrue(e.getMessage().startsWith("component 3: "), e.getMessage());
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
        assertEquals(1, assertThrows(ExactSumException.class, () -> new ExactSum(2).add(1, 0x1p80)).component());
    }

    @Test
    void nonFiniteValuesAreRejectedWithTheirComponent() {
        double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < bad.length; i++) {
            double[] v = new double[N];
            Arrays.fill(v, 1.0);
            v[5 + i] = bad[i];
            ExactSumException e = assertThrows(ExactSumException.class, () -> new ExactSum(N).add(v, 0));
            assertEquals(5 + i, e.component());
            assertEquals("component " + (5 + i) + ": " + bad[i] + " is not a finite value", e.getMessage());
            assertTrue(e instanceof ArithmeticException);
        }
    }

    @Test
    void sumsOutsideMinusTwoToTheEightyNineToTwoToTheEightyNineThrow() {
        assertEquals(-0x1p89, repeated(1024, -0x1p79));                 // the lowest sum in range
        ExactSumException e = assertThrows(ExactSumException.class, () -> repeated(1024, 0x1p79));
        assertEquals(0, e.component());
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());

        ExactSum a = new ExactSum(3);
        ExactSum b = new ExactSum(3);
        for (int k = 0; k < 600; k++) {                                        // 600 · 2^79 < 2^89 each
            a.add(new double[]{1, 0x1p79, 0x1p79}, 0);
            b.add(new double[]{1, -0x1p79, 0x1p79}, 0);
        }
        assertEquals(600 * 0x1p79, a.toDouble(2));
        assertEquals(2, assertThrows(ExactSumException.class, () -> a.merge(b)).component());

        ExactSum c = new ExactSum(3);
        e = assertThrows(ExactSumException.class, () -> {                      // never wraps, even far beyond
            for (int k = 0; k < 1 << 20; k++) {
                c.add(new double[]{0, 0, Math.nextDown(0x1p80)}, 0);
            }
        });
        assertEquals(2, e.component());
    }

    private static ExactSum roundTrip(ExactSum s) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(s);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (ExactSum) in.readObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("serialization round trip", e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    static int serializedSize(ExactSum s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
            out.flush();
            return bytes.size();
        } catch (IOException e) {
            throw new UncheckedIOException("serialized size", e);
        }
    }

    @Test
    void serializationKeepsTheExactSumAndPendingCarries() {
        double[][] v = data(7, 100);
        ExactSum s = new ExactSum(N);
        for (int k = 0; k < 45; k++) {                 // 45 adds: 14 carries pending
            s.add(v[k], 0);
        }
        ExactSum copy = roundTrip(s);
        for (int k = 45; k < v.length; k++) {
            s.add(v[k], 0);
            copy.add(v[k], 0);
        }
        long[] expected = bits(reference(v));
        assertArrayEquals(expected, bits(copy.toDoubles(new double[N])));
        assertArrayEquals(expected, bits(s.toDoubles(new double[N])));
        assertArrayEquals(expected, bits(roundTrip(new ExactSum(N)).merge(copy).toDoubles(new double[N])));

        int n = 79_500;
        assertTrue(serializedSize(new ExactSum(n)) < 150, "empty: " + serializedSize(new ExactSum(n)));
        // one byte per zero component, plus Java serialization's block-data headers (5 bytes per 1 KB)
        int oneUsed = serializedSize(new ExactSum(n).add(0, 1.0));
        assertTrue(oneUsed >= n && oneUsed < n + n / 100 + 200, "one component used: " + oneUsed);
    }

    @Test
    void compactFormKeepsEveryLimbPatternExactly() {
        // components at every scale and sign, sums near the range's ends, -1 ulp patterns, and zero
        SplittableRandom r = new SplittableRandom(11);
        int n = 4000;
        ExactSum s = new ExactSum(n);
        for (int k = 0; k < 70; k++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                int kind = i % 8;
                v[i] = switch (kind) {
                    case 0 -> 0.0;
                    case 1 -> withExponent(r, r.nextInt(-140, 79)) * (r.nextBoolean() ? 1 : -1);
                    case 2 -> -Math.scalb(1.0, -ExactSum.FRACTION_BITS);           // sums to small negatives
                    case 3 -> Math.scalb(1.0, 79) * (r.nextBoolean() ? 1 : -1);    // sums up to about ±2^85
                    case 4 -> withExponent(r, -1) * (i % 16 < 8 ? 1 : -1);
                    case 5 -> k == 0 ? -Math.scalb(1.0, 60) : 0.0;                  // one large negative
                    case 6 -> r.nextGaussian() * 1e-3;
                    default -> Math.scalb(1.0, -100 + i % 170);
                };
            }
            s.add(v, 0);
        }
        ExactSum copy = roundTrip(s);
        assertArrayEquals(bits(s.toDoubles(new double[n])), bits(copy.toDoubles(new double[n])));
        // the limbs themselves: merged with the same third sum, both give the same bits
        ExactSum other = new ExactSum(n);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = withExponent(r, r.nextInt(-120, 60)) * (r.nextBoolean() ? 1 : -1);
        }
        other.add(w, 0);
        assertArrayEquals(bits(s.merge(other).toDoubles(new double[n])), bits(copy.merge(other).toDoubles(new double[n])));
        assertArrayEquals(bits(s.toDoubles(new double[n])), bits(roundTrip(roundTrip(copy)).toDoubles(new double[n])));
        assertTrue(serializedSize(s) < 32 * n, "compact: " + serializedSize(s) + " bytes for " + n + " components");
    }

    @Test
    void aGradientLikeSumTravelsInUnderHalfTheBytesOfItsLimbs() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 79_510;
        ExactSum s = new ExactSum(n);
        double[] g = new double[n];
        for (int block = 0; block < 15; block++) {   // 15 blocks of gradient sums; a tenth of them exactly 0
            for (int i = 0; i < n; i++) {
                g[i] = i % 10 == 0 ? 0.0 : r.nextGaussian() * Math.pow(10, -r.nextInt(4));
            }
            s.add(g, 0);
        }
        int bytes = serializedSize(s);
        assertTrue(bytes < 16 * n, bytes + " bytes for " + n + " components");
        assertArrayEquals(bits(s.toDoubles(new double[n])), bits(roundTrip(s).toDoubles(new double[n])));
    }

    @Test
    void badArgumentsAreRejected() {
        ExactSum s = new ExactSum(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.merge(new ExactSum(4)));
        assertEquals("ExactSum: cannot merge size 4 into size 3", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> s.add(new double[4], 2));
        assertThrows(IllegalArgumentException.class, () -> s.toDoubles(new double[2]));
        assertThrows(IllegalArgumentException.class, () -> new ExactSum(-1));
        assertArrayEquals(new double[3], s.toDoubles(new double[3]));
    }
}
