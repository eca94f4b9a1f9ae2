package io.shardprop.core.optim;

import java.util.Locale;

/**
 * What becomes of the replicas' inner optimizer state (momentum's velocity, Adam's moments) at a sync of local
 * steps. {@code reset}: every round starts a fresh optimizer, so short rounds never build momentum up;
 * {@code average}: the replicas' end states are averaged exactly, like their weights, and every replica starts the
 * next round from that mean. Either way the state a round starts from lives on the driver (zeros, or the mean
 * kept with the outer optimizer's state and checkpointed with it), so a retried task or a lost executor recomputes
 * exactly the same round.
 */
public enum InnerState {
    RESET, AVERAGE;

    /** {@code reset} or {@code average}: the name options and model.json use. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
