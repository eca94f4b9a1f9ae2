package io.shardprop.job.config;

/** {@code --outer}: the driver's update from the replicas' mean change. */
public enum Outer implements OptionValue {
    AVERAGE, NESTEROV
}
