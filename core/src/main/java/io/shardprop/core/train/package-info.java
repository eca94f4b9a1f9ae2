/**
 * Training, the same loop for one process and for Spark: the immutable {@link io.shardprop.core.train.Trainer}
 * runs epochs of updates over a step strategy (a synchronous step over summed gradients, or a round of local
 * steps on R replicas) against a {@link io.shardprop.core.train.GradientSource}: the single-process
 * {@link io.shardprop.core.train.LocalData} here, the Spark job's cached blocks there. The sums over blocks
 * ({@link io.shardprop.core.train.GradientSums}, {@link io.shardprop.core.train.EvaluationSums}) and over
 * replicas ({@link io.shardprop.core.train.RoundSums}) are exact, so every engine and partitioning gives the
 * single-process run's bits; a block that cannot be summed fails with a
 * {@link io.shardprop.core.train.BlockFailure} naming it, and a diverging run stops with a
 * {@link io.shardprop.core.train.TrainingDivergedException}.
 */
package io.shardprop.core.train;
