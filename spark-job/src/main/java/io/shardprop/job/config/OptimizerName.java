package io.shardprop.job.config;

/** {@code --optimizer}: the optimizer of every step (the inner one with local steps). */
public enum OptimizerName implements OptionValue {
    SGD, MOMENTUM, ADAM
}
