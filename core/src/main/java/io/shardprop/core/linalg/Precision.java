package io.shardprop.core.linalg;

import java.util.Locale;

/**
 * The precision of the cached inputs and of the first layer's two products (97% of an epoch's arithmetic
 * for the notebook's model). Parameters, gradients, the other layers and the sums are always double.
 */
public enum Precision {
    /** Everything in double, as the notebook. */
    FLOAT64,
    /** Inputs cached as float32 and the first layer's products in float32 (sgemm): half the memory. */
    FLOAT32;

    /** {@code float64} or {@code float32}, as on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * {@code x} in this precision (itself when it already is); a {@link ByteMat} stays bytes, to expand in this
     * precision.
     */
    public Inputs convert(Inputs x) {
        if (x instanceof SparseMat s) {
            return convert(s.source());
        }
        if (x instanceof ByteMat b) {
            return b.precision() == this ? b : new ByteMat(b.data(), b.offset(), b.rows(), b.width(), b.code(), this);
        }
        if (this == FLOAT32) {
            return x instanceof FMat ? x : FMat.of((Mat) x);
        }
        if (x instanceof Mat) {
            return x;
        }
        FMat f = (FMat) x;
        Mat m = Mat.zeros(f.rows(), f.cols());
        FMat.widen(f, m);
        return m;
    }

    /** Bytes per cached input value. */
    public int bytes() {
        return this == FLOAT32 ? 4 : 8;
    }
}
