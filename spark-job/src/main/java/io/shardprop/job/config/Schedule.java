package io.shardprop.job.config;

/** {@code --lr-schedule}: how the learning rate changes over the run. */
public enum Schedule implements OptionValue {
    CONSTANT, STEP, COSINE
}
