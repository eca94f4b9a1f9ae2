/**
 * Exact, order-independent sums of doubles: {@link io.shardprop.core.exact.ExactSum} adds every value
 * exactly into a wide fixed-point accumulator, so its {@code add} and {@code merge} are associative and
 * commutative and the rounded result has the same bits however the addends are ordered, grouped or
 * partitioned. Values it cannot represent raise {@link io.shardprop.core.exact.ExactSumException}.
 */
package io.shardprop.core.exact;
