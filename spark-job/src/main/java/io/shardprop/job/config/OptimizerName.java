package io.shardprop.job.config;

import java.util.Locale;

/** {@code --optimizer}: the optimizer of every step (the inner one with local steps). */
public enum OptimizerName {
    SGD, MOMENTUM, ADAM;

    /** The option's value, e.g. in model.json. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
