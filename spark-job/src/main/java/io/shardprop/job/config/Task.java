package io.shardprop.job.config;

/** {@code --task}: what a row's label is, a class or a real target. */
public enum Task {
    /** Integer labels 0..k−1; a classification loss (seed, xent). */
    CLASSIFICATION,
    /** Real targets; a regression loss (squared, huber), linear outputs. */
    REGRESSION
}
