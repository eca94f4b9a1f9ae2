package io.shardprop.core.train;

import java.util.Optional;

/**
 * A failure while summing one block, naming the block: thrown where the block is known (in a worker thread
 * or a Spark task), and found again by type, not by its wording, wherever a decision needs the block:
 * {@link #in} walks the cause chain, through Spark's {@code SparkException} and any other wrapping. The
 * message is {@code block <b>: <problem>}.
 */
public final class BlockFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int block;

    /**
     * @param block   the block's index
     * @param problem what went wrong, e.g. {@code gradient component 3: …}
     * @param cause   the failure underneath
     */
    public BlockFailure(int block, String problem, Throwable cause) {
        super("block " + block + ": " + problem, cause);
        this.block = block;
    }

    /** The index of the block whose sums failed. */
    public int block() {
        return block;
    }

    /** The first block failure in {@code e}'s cause chain, {@code e} included (each exception visited once). */
    public static Optional<BlockFailure> in(Throwable e) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof BlockFailure f) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
