package io.shardprop.core.exact;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The fixed-point format behind {@link ExactSum}: a number {@code S} is the integer {@code V = S · 2^140}
 * in {@value #LIMBS} signed 64-bit limbs of {@value #LIMB_BITS} bits, least significant first,
 * {@code V = Σ_j a[j] · 2^(56 j)}: bit 0 weighs {@code 2^-140}, the top limb holds {@code 2^28} and above.
 *
 * <p>A component is <em>normalized</em> when {@code a[0..2]} are in {@code [0, 2^56)} and the top limb is
 * in {@code [-2^61, 2^61)}, i.e. {@code S ∈ [-2^89, 2^89)}. Between normalizations a limb may hold any
 * long: {@link #add} moves each limb by less than {@code 2^56}, and the caller normalizes often enough
 * that no limb wraps ({@link ExactSum}: at most {@code 2^62 + 2^58}).
 */
final class FixedPoint {

    /** Limbs per component. */
    static final int LIMBS = 4;
    /** Value bits per limb; the other 8 absorb deferred carries. */
    static final int LIMB_BITS = 56;
    /** Addends must satisfy {@code |x| < 2^MAX_EXPONENT}, so that both pieces land in limbs 0..3. */
    static final int MAX_EXPONENT = 80;
    /** Sums must satisfy {@code -2^SUM_EXPONENT ≤ S < 2^SUM_EXPONENT}: the top limb in {@code [-2^61, 2^61)}. */
    static final int SUM_EXPONENT = 89;
    /** Bit 0 weighs {@code 2^-FRACTION_BITS}. */
    static final int FRACTION_BITS = 140;

    private static final long MASK = (1L << LIMB_BITS) - 1;
    private static final long TOP = 1L << (SUM_EXPONENT + FRACTION_BITS - (LIMBS - 1) * LIMB_BITS);
    /**
     * Per biased exponent {@code e}: {@code q | s << 2 | t << 8} with {@code p = e - 1075 + 140} the position
     * of the mantissa's last bit, {@code q = ⌊p⁺/56⌋} the limb, {@code s = p⁺ mod 56} the shift and
     * {@code t = min(63, max(0, -p))} the bits below {@code 2^-140} to truncate; -1 for NaN, ±∞ and
     * {@code |x| ≥ 2^80}. Zero and subnormals have {@code t = 63}: they add 0.
     */
    private static final int[] PLACE = new int[2048];

    static {
        for (int e = 0; e < PLACE.length; e++) {
            int p = e - 1075 + FRACTION_BITS;
            int q = Math.max(0, p) / LIMB_BITS;
            PLACE[e] = e > 1023 + MAX_EXPONENT - 1 ? -1
                    : q | (Math.max(0, p) - q * LIMB_BITS) << 2 | Math.min(63, Math.max(0, -p)) << 8;
        }
    }

    private FixedPoint() {
    }

    /**
     * {@code V += trunc(x · 2^140)} for the component at {@code a[base .. base+3]} (modified), truncated
     * toward zero. With {@code x = ±m · 2^(p-140)} and the signed mantissa {@code M = ±(m >> t)}, limb
     * {@code q} gets {@code (M·2^s) mod 2^56 ∈ [0, 2^56)} and limb {@code q+1} gets {@code ⌊M·2^s / 2^56⌋},
     * of magnitude at most {@code 2^52}. No carry is propagated.
     *
     * @throws ExactSumException naming {@code component} if {@code x} is NaN, ±∞ or {@code |x| ≥ 2^80}
     */
    static void add(long[] a, int base, double x, int component) {
        long bits = Double.doubleToRawLongBits(x);
        int place = PLACE[(int) (bits >>> 52) & 0x7FF];
        if (place < 0) {
            throw new ExactSumException(component, Double.isFinite(x)
                    ? x + " is too large: |x| must be below 2^" + MAX_EXPONENT
                    : x + " is not a finite value");
        }
        long m = ((bits & ((1L << 52) - 1)) | (1L << 52)) >>> (place >>> 8);
        long sign = bits >> 63;                     // 0 or -1
        m = (m ^ sign) - sign;                      // ±m without a branch: signs are random in gradients
        int s = (place >>> 2) & 63;
        int at = base + (place & 3);
        a[at] += (m << s) & MASK;
        a[at + 1] += m >> (LIMB_BITS - s);
    }

    /**
     * Normalizes the component at {@code a[base .. base+3]} (modified): {@code a[j+1] += a[j] >> 56},
     * {@code a[j] &= 2^56 - 1} for {@code j < 3}. The value is unchanged.
     *
     * @throws ExactSumException naming {@code component} if the sum is outside {@code [-2^89, 2^89)}
     */
    static void normalize(long[] a, int base, int component) {
        for (int j = base; j < base + LIMBS - 1; j++) {
            a[j + 1] += a[j] >> LIMB_BITS;
            a[j] &= MASK;
        }
        if (a[base + LIMBS - 1] < -TOP || a[base + LIMBS - 1] >= TOP) {
            throw new ExactSumException(component, "sum out of range: |S| must be below 2^" + SUM_EXPONENT);
        }
    }

    /**
     * {@code round(V · 2^-140)} to the nearest double, ties to even, for the component at
     * {@code a[base .. base+3]} (not modified; need not be normalized).
     *
     * @throws ExactSumException naming {@code component} if the sum is outside {@code [-2^89, 2^89)}
     */
    static double toDouble(long[] a, int base, int component) {
        long[] v = new long[LIMBS];
        System.arraycopy(a, base, v, 0, LIMBS);
        normalize(v, 0, component);
        boolean negative = v[LIMBS - 1] < 0;
        if (negative) {
            for (int j = 0; j < LIMBS; j++) {       // |V| = -V, normalized again: a[0..2] ≥ 0 and the top ≥ 0
                v[j] = -v[j];
            }
            for (int j = 0; j < LIMBS - 1; j++) {
                v[j + 1] += v[j] >> LIMB_BITS;
                v[j] &= MASK;
            }
        }
        double r = roundMagnitude(v);
        return negative ? -r : r;
    }

    /**
     * Rounds a normalized nonnegative {@code V · 2^-140}. The highest nonzero limb {@code hi} and the one
     * below, {@code lo}, form a window {@code x} of 57 to 62 bits; any nonzero bit below it is ORed into
     * {@code x}'s last bit (a sticky bit, at least 3 bits under the rounding position), so the one rounding,
     * in {@code (double) x}, is that of the exact value; the scaling by a power of two is exact.
     */
    private static double roundMagnitude(long[] v) {
        int h = LIMBS - 1;
        while (h > 0 && v[h] == 0) {
            h--;
        }
        if (h == 0) {
            return Math.scalb((double) v[0], -FRACTION_BITS);          // below 2^56: exact
        }
        long hi = v[h];
        long lo = v[h - 1];
        long rest = 0;
        for (int j = 0; j < h - 1; j++) {
            rest |= v[j];
        }
        int drop = Math.max(0, 58 - Long.numberOfLeadingZeros(hi));    // hi has 64 - nlz bits
        long x = (hi << (LIMB_BITS - drop)) | (lo >>> drop);
        if (rest != 0 || (lo & ((1L << drop) - 1)) != 0) {
            x |= 1;
        }
        return Math.scalb((double) x, (h - 1) * LIMB_BITS + drop - FRACTION_BITS);
    }

    /** The most bytes {@link #write} puts out for one component (its stores included). */
    static final int MAX_ENCODED_BYTES = 2 + 32;
    /** The bytes {@link #read} may look at after a component's end. */
    static final int READ_SLACK = 7;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Writes the normalized component at {@code a[base .. base+3]} compactly at {@code out[at ..]}: its value
     * as a 256-bit two's-complement integer with the low zero bytes and the high sign-extension bytes left
     * out, so a sum spanning {@code k} bits takes about {@code k/8 + 2} bytes instead of 32, and zero one.
     * Format: a length byte {@code n} (0 for zero), then, if {@code n > 0}, the index {@code lo} of the first
     * byte kept and bytes {@code lo .. lo+n-1}, least significant first; the last is sign-extended.
     * The bytes go out eight at a time, so up to 7 bytes after the component's end are overwritten too:
     * {@code out} needs {@link #MAX_ENCODED_BYTES} bytes from {@code at}.
     *
     * @param w 4 longs of working space
     * @return the index after the last byte of the component
     */
    static int write(long[] a, int base, byte[] out, int at, long[] w) {
        long w0 = a[base] | a[base + 1] << 56;
        long w1 = a[base + 1] >>> 8 | a[base + 2] << 48;
        long w2 = a[base + 2] >>> 16 | a[base + 3] << 40;
        long w3 = a[base + 3] >> 24;
        if ((w0 | w1 | w2 | w3) == 0) {
            out[at] = 0;
            return at + 1;
        }
        long sign = w3 >> 63;
        int top = w3 != sign ? 3 : w2 != sign ? 2 : w1 != sign ? 1 : w0 != sign ? 0 : -1;
        // the highest bit that differs from the sign, plus one bit that equals it; for -1, bit 0 suffices
        int hiBit = top < 0 ? 0 : 64 * top + 64 - Long.numberOfLeadingZeros(word(top, w0, w1, w2, w3) ^ sign);
        int low = w0 != 0 ? 0 : w1 != 0 ? 1 : w2 != 0 ? 2 : 3;
        int lo = 8 * low + Long.numberOfTrailingZeros(word(low, w0, w1, w2, w3)) / 8;
        int n = Math.min(31, hiBit / 8) - lo + 1;
        w[0] = w0;
        w[1] = w1;
        w[2] = w2;
        w[3] = w3;
        out[at] = (byte) n;
        out[at + 1] = (byte) lo;
        int q = lo >>> 3;
        int r = (lo & 7) << 3;
        for (int pos = at + 2, k = 0; k < n; k += 8, pos += 8, q++) {  // bytes lo + k .. lo + k + 7
            long x = w[q] >>> r;
            if (r != 0 && q < 3) {
                x |= w[q + 1] << (64 - r);
            }
            LONGS.set(out, pos, x);
        }
        return at + 2 + n;
    }

    /**
     * Reads one component written by {@link #write} from {@code in[at ..]} into {@code a[base .. base+3]},
     * normalized, exactly as it was. Reads eight bytes at a time: {@code in} needs 7 bytes after the
     * component's end (their values do not matter).
     *
     * @param w 4 longs of working space
     * @return the index after the last byte of the component
     */
    static int read(byte[] in, int at, long[] a, int base, long[] w) {
        int n = in[at] & 0xFF;
        if (n == 0) {
            a[base] = a[base + 1] = a[base + 2] = a[base + 3] = 0;
            return at + 1;
        }
        int lo = in[at + 1] & 0xFF;
        if (n > 32 || lo + n > 32) {
            throw new IllegalStateException("ExactSum: corrupt serialized component (" + n + " bytes from " + lo + ")");
        }
        w[0] = w[1] = w[2] = w[3] = 0;
        for (int k = 0; k < n; k += 8) {
            long x = (long) LONGS.get(in, at + 2 + k);
            if (n - k < 8) {
                x &= (1L << ((n - k) << 3)) - 1;  // only the component's bytes
            }
            int q = (lo + k) >>> 3;
            int r = ((lo + k) & 7) << 3;
            w[q] |= x << r;
            if (r != 0 && q < 3) {
                w[q + 1] |= x >>> (64 - r);
            }
        }
        if (in[at + 1 + n] < 0) {                    // sign extension above the last byte, lo + n - 1
            int t = lo + n;                          // the first byte to set
            int q = t >>> 3;
            if (q < 4) {
                w[q] |= -1L << ((t & 7) << 3);
                for (int j = q + 1; j < 4; j++) {
                    w[j] = -1L;
                }
            }
        }
        long w0 = w[0];
        long w1 = w[1];
        long w2 = w[2];
        long w3 = w[3];
        a[base] = w0 & MASK;
        a[base + 1] = (w0 >>> 56 | w1 << 8) & MASK;
        a[base + 2] = (w1 >>> 48 | w2 << 16) & MASK;
        a[base + 3] = w2 >>> 40 | w3 << 24;
        return at + 2 + n;
    }

    private static long word(int k, long w0, long w1, long w2, long w3) {
        return k == 0 ? w0 : k == 1 ? w1 : k == 2 ? w2 : w3;
    }
}
