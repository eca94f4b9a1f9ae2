/**
 * Spark ML integration: {@link io.shardprop.job.ml.ShardPropClassifier}, an Estimator that trains with the
 * same trainer as {@code train}, and its training summary; {@link io.shardprop.job.ml.ShardPropModel}, a
 * trained model as a pipeline stage with Spark ML persistence; and {@link io.shardprop.job.ml.IdxFrames},
 * MNIST IDX files as DataFrames.
 */
package io.shardprop.job.ml;
