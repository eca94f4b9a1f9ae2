package io.shardprop.core.exact;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Objects;

import static io.shardprop.core.exact.FixedPoint.LIMBS;

/**
 * An exact sum of double vectors, {@code S_i = Σ_k x_k[i]} for {@code i < size}, kept in fixed point so that
 * {@link #add} and {@link #merge} are associative and commutative: {@link #toDoubles} gives the same bits
 * whatever the order, grouping or partitioning of the addends. Mutable, not thread-safe.
 *
 * <p><b>Range and precision.</b>
 * <ul>
 *   <li>Every double with {@code 2^-88 ≤ |x| < 2^80}, and 0, is added exactly: the fixed point has its last
 *       bit at {@code 2^-140} and 224 bits (see {@code FixedPoint}).
 *   <li>Smaller ones, subnormals included, are first truncated toward zero to a multiple of {@code 2^-140}
 *       (so below {@code 2^-140} they add nothing). Each addend is truncated on its own, before it is
 *       added, so this stays independent of the order; the error is below {@code 2^-140} per addend.
 *   <li>NaN, ±∞ and {@code |x| ≥ 2^80} throw {@link ExactSumException} naming the component.
 *   <li>Sums must lie in {@code [-2^89, 2^89)}, else {@link ExactSumException} is thrown at the next
 *       normalization: every 31 adds, in {@link #merge}, {@link #toDoubles} and {@link #toDouble}. The check
 *       on the total is order-independent; a partial sum beyond {@code 2^89} also throws even if later
 *       addends would bring it back, so whether that is seen depends on the grouping. No limb ever wraps.
 *   <li>{@link #toDoubles} rounds the exact sum to nearest, ties to even (a zero sum gives {@code +0.0}).
 * </ul>
 *
 * <p><b>Cost and size.</b> An add is a table look-up, a shift and two long additions per component, with no
 * carry (a carry pass every 31 adds). 32 bytes per component (4 longs), allocated on the first add: an
 * empty accumulator, such as a Spark {@code aggregate} zero value, serializes to about 100 bytes, a used one
 * to 1 byte per zero component and {@code 2 + ⌈span/8⌉} per other one ({@code span}: the bits from the
 * sum's lowest set bit to its sign), at most 34.
 */
public final class ExactSum implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Addends must satisfy {@code |x| < 2^MAX_EXPONENT}. */
    public static final int MAX_EXPONENT = FixedPoint.MAX_EXPONENT;
    /** Sums must satisfy {@code -2^SUM_EXPONENT ≤ S < 2^SUM_EXPONENT}. */
    public static final int SUM_EXPONENT = FixedPoint.SUM_EXPONENT;
    /** The last bit of the fixed point weighs {@code 2^-FRACTION_BITS}. */
    public static final int FRACTION_BITS = FixedPoint.FRACTION_BITS;

    /**
     * Adds between carry passes: 31 keep every limb below {@code 32 · 2^56 = 2^61} in magnitude, and below
     * {@code 2^62 + 2^58} when two such accumulators are merged, far from overflowing a long.
     */
    private static final int PENDING_LIMIT = 31;
    /** Serialized components travel in chunks of at most this many bytes. */
    private static final int CHUNK_BYTES = 1 << 16;

    private final int size;
    /** Component {@code i} in {@code limbs[4i .. 4i+3]}; null until the first add. */
    private transient long[] limbs;
    /** Adds since the last normalization, at most {@link #PENDING_LIMIT}. */
    private int pending;

    /** A zero sum of {@code size} components. */
    public ExactSum(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("ExactSum: size " + size + " < 0");
        }
        this.size = size;
    }

    /** @return the number of components */
    public int size() {
        return size;
    }

    /**
     * {@code S_i += values[offset + i]} for every {@code i < size}, exactly. {@code values} not modified.
     * After an exception the content is unspecified (a prefix was added): discard the accumulator.
     *
     * @return this
     * @throws ExactSumException if a value is NaN, infinite or {@code |x| ≥ 2^80}, or a sum left the range
     */
    public ExactSum add(double[] values, int offset) {
        Objects.checkFromIndexSize(offset, size, values.length);
        long[] a = beginAdd();
        for (int i = 0; i < size; i++) {
            double v = values[offset + i];
            if (v != 0.0) { // ±0 adds nothing; gradients have many exact zeros (blank pixels' weights)
                FixedPoint.add(a, i * LIMBS, v, i);
            }
        }
        return this;
    }

    /**
     * {@code S_component += value}, exactly: the scalar form of {@link #add(double[], int)}, e.g. for a loss
     * sum in an {@code ExactSum} of size 1.
     *
     * @return this
     * @throws ExactSumException as {@link #add(double[], int)}
     */
    public ExactSum add(int component, double value) {
        Objects.checkIndex(component, size);
        FixedPoint.add(beginAdd(), component * LIMBS, value, component);
        return this;
    }

    /**
     * {@code S_i += other.S_i} for every {@code i}, exactly. {@code other} not modified.
     *
     * @return this
     * @throws IllegalArgumentException if the sizes differ
     * @throws ExactSumException        if a sum left the range
     */
    public ExactSum merge(ExactSum other) {
        if (other.size != size) {
            throw new IllegalArgumentException("ExactSum: cannot merge size " + other.size + " into size " + size);
        }
        if (other.limbs != null) {
            long[] a = limbs();
            long[] b = other.limbs;
            for (int k = 0; k < a.length; k++) {
                a[k] += b[k];
            }
            normalize();
        }
        return this;
    }

    /**
     * Components {@code from .. to - 1} as a new sum of {@code to - from} components (the same exact values).
     * This accumulator is not modified.
     */
    public ExactSum slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        ExactSum s = new ExactSum(to - from);
        if (limbs != null) {
            s.limbs = java.util.Arrays.copyOfRange(limbs, from * LIMBS, to * LIMBS);
            s.pending = pending;
        }
        return s;
    }

    /** The components of {@code parts}, one after the other, as one sum (the parts are not modified). */
    public static ExactSum concat(java.util.List<ExactSum> parts) {
        int size = 0;
        boolean used = false;
        for (ExactSum p : parts) {
            size = Math.addExact(size, p.size);
            used |= p.limbs != null;
        }
        ExactSum s = new ExactSum(size);
        if (used) {
            long[] a = s.limbs();
            int at = 0;
            for (ExactSum p : parts) {
                if (p.limbs != null) {
                    System.arraycopy(p.limbs, 0, a, at, p.limbs.length);
                    s.pending = Math.max(s.pending, p.pending);
                }
                at += p.size * LIMBS;
            }
        }
        return s;
    }

    /**
     * {@code out[i] = round(S_i)}, to nearest, ties to even. This accumulator is not modified.
     *
     * @param out receives the {@code size} sums (modified)
     * @return {@code out}
     * @throws ExactSumException if a sum is outside {@code [-2^89, 2^89)}
     */
    public double[] toDoubles(double[] out) {
        if (out.length != size) {
            throw new IllegalArgumentException("ExactSum: out has length " + out.length + " but size is " + size);
        }
        for (int i = 0; i < size; i++) {
            out[i] = toDouble(i);
        }
        return out;
    }

    /**
     * @return {@code round(S_component)}, to nearest, ties to even; this accumulator is not modified
     * @throws ExactSumException if the sum is outside {@code [-2^89, 2^89)}
     */
    public double toDouble(int component) {
        Objects.checkIndex(component, size);
        return limbs == null ? 0.0 : FixedPoint.toDouble(limbs, component * LIMBS, component);
    }

    /** Counts an add, after a carry pass if 31 are pending; returns the limbs. */
    private long[] beginAdd() {
        long[] a = limbs();
        if (pending == PENDING_LIMIT) {
            normalize();
        }
        pending++;
        return a;
    }

    private long[] limbs() {
        if (limbs == null) {
            limbs = new long[LIMBS * size];
        }
        return limbs;
    }

    private void normalize() {
        for (int i = 0; i < size; i++) {
            FixedPoint.normalize(limbs, i * LIMBS, i);
        }
        pending = 0;
    }

    /**
     * The limbs travel normalized and compacted ({@link FixedPoint#write}): a component takes the bytes its
     * value spans, not 32 (a used accumulator of gradient sums shrinks to about a third), which matters as
     * every Spark task sends one to the driver each step. Writing normalizes this accumulator (its value is
     * unchanged).
     */
    private void writeObject(ObjectOutputStream out) throws IOException {
        if (limbs != null) {
            normalize();
        }
        out.defaultWriteObject();
        out.writeBoolean(limbs != null);
        if (limbs != null) {
            // in chunks of at most 64 KB, each with its byte count, and a 0 at the end: no buffer of the whole size
            byte[] chunk = new byte[CHUNK_BYTES];
            long[] scratch = new long[LIMBS];
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (n > CHUNK_BYTES - FixedPoint.MAX_ENCODED_BYTES) {
                    out.writeInt(n);
                    out.write(chunk, 0, n);
                    n = 0;
                }
                n = FixedPoint.write(limbs, i * LIMBS, chunk, n, scratch);
            }
            out.writeInt(n);
            out.write(chunk, 0, n);
            out.writeInt(0);
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (in.readBoolean()) {
            limbs = new long[LIMBS * size];
            byte[] chunk = new byte[CHUNK_BYTES + FixedPoint.READ_SLACK];
            long[] scratch = new long[LIMBS];
            int i = 0;
            for (int n = in.readInt(); n > 0; n = in.readInt()) {
                if (n > CHUNK_BYTES) {
                    throw new IOException("ExactSum: a serialized chunk of " + n + " bytes (at most " + CHUNK_BYTES + ")");
                }
                in.readFully(chunk, 0, n);
                int at = 0;
                while (at < n) {
                    if (i == size) {
                        throw new IOException("ExactSum: more than " + size + " components serialized");
                    }
                    at = FixedPoint.read(chunk, at, limbs, i++ * LIMBS, scratch);
                }
                if (at != n) {
                    throw new IOException("ExactSum: a component crosses a chunk's end");
                }
            }
            if (i != size) {
                throw new IOException("ExactSum: " + i + " components serialized, expected " + size);
            }
        }
    }
}
