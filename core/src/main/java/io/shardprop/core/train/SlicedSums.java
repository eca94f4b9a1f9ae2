package io.shardprop.core.train;

import java.io.Serializable;
import java.util.List;

/**
 * Sums with one long vector that can be cut into pieces, summed piece by piece in different places (a reduce-scatter),
 * and put back together: {@code joined(slice(0, k) + …, …, slice(k − 1, k) + …)} has the same bits as the sum of the
 * wholes, since every piece's sum is exact. Spark sums the pieces of big models on the executors, so the driver
 * receives each component once whatever the number of tasks.
 *
 * @param <S> the sums themselves
 */
public interface SlicedSums<S extends SlicedSums<S>> extends Serializable {

    /** Piece {@code piece} of {@code pieces} (the scalars travel with piece 0); this one is not modified. */
    S slice(int piece, int pieces);

    /** Adds {@code other}'s sums into these (exactly); returns this. */
    S merge(S other);

    /** The sums whose pieces are {@code pieces}, in order (pieces of sums like this one). */
    S joined(List<S> pieces);
}
