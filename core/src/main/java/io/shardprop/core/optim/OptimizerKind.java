package io.shardprop.core.optim;

import java.util.Locale;

/** The optimizers of a step: plain SGD, SGD with momentum, and Adam (AdamW with weight decay). */
public enum OptimizerKind {
    SGD, MOMENTUM, ADAM;

    /** {@code sgd}, {@code momentum} or {@code adam}: the name options and model.json use. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
