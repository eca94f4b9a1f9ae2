package io.shardprop.job.config;

import io.shardprop.core.linalg.ByteMat;
import io.shardprop.core.linalg.Precision;

import java.util.Locale;

/**
 * {@code --cache}: how the cached blocks hold their inputs. {@link #UINT8} keeps one byte a value
 * ({@link ByteMat}) and expands each block to the products' precision inside the step, value for value what the
 * float caches hold, so the weights are the same bits; {@link #FLOAT32}/{@link #FLOAT64} hold the products'
 * inputs as they are; {@link #AUTO} picks the smallest that loses nothing.
 */
public enum CacheType {
    AUTO, UINT8, FLOAT32, FLOAT64;

    /** {@code auto}, {@code uint8}, … as users write it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The cache a set is held in.
     *
     * @param precision the products' precision (the float cache's type)
     * @param bytes     what a byte stands for in this set, or null when some value is none of
     *                  {@link ByteMat.Code}'s (then only a float cache is lossless)
     * @param what      the set, for messages (e.g. {@code the training rows})
     * @throws OptionException for {@code uint8} without bytes, or a float cache of the other precision
     */
    public CacheType resolve(Precision precision, ByteMat.Code bytes, String what) {
        requireFor(precision);
        TrainOption<CacheType> o = TrainOptions.CACHE;
        if (this == UINT8 && bytes == null) {
            throw new OptionException(o, v -> v.name(o) + " uint8: " + what + " have values that are neither "
                    + "integers 0-255 nor pixel/255; use " + v.name(o) + " auto");
        }
        return this == AUTO ? (bytes != null ? UINT8 : of(precision)) : this;
    }

    /**
     * Refuses a float cache of the other precision, before any data is read.
     *
     * @throws OptionException naming {@code --cache} and {@code --precision}
     */
    public void requireFor(Precision precision) {
        if ((this == FLOAT32 || this == FLOAT64) && this != of(precision)) {
            TrainOption<CacheType> o = TrainOptions.CACHE;
            TrainOption<Precision> p = TrainOptions.PRECISION;
            throw new OptionException(o, v -> v.name(o) + " " + id() + " with " + v.name(p) + " " + precision.id()
                    + ": the products take " + precision.id() + " inputs; use " + v.name(o) + " "
                    + of(precision).id() + ", uint8 or auto");
        }
    }

    /** The float cache of {@code precision}. */
    public static CacheType of(Precision precision) {
        return precision == Precision.FLOAT32 ? FLOAT32 : FLOAT64;
    }
}
