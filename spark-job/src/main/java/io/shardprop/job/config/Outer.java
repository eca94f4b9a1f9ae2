package io.shardprop.job.config;

import java.util.Locale;

/** {@code --outer}: the driver's update from the replicas' mean change. */
public enum Outer {
    AVERAGE, NESTEROV;

    /** The option's value, e.g. in model.json. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
