package io.shardprop.job.config;

import java.util.Locale;

/** {@code --lr-schedule}: how the learning rate changes over the run. */
public enum Schedule {
    CONSTANT, STEP, COSINE;

    /** The option's value, e.g. in model.json. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
