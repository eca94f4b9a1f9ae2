/**
 * Training, whatever the data or the engine: one workflow ({@link io.shardprop.job.train.TrainWorkflow}) over a
 * {@link io.shardprop.job.train.TrainingData} (IDX files, LibSVM/Parquet/CSV rows, a DataFrame) for {@code train}
 * and Spark ML's {@code fit}: checks before Spark, the rows checked and the network sized from them, the blocks
 * cached ({@link io.shardprop.job.train.SparkData}: partitions run forward/backward against the broadcast weights
 * and aggregate exact sums to the driver), then core's trainer with progress lines, checkpoints and outputs
 * ({@link io.shardprop.job.train.TrainRun}), and a clean stop on SIGINT or SIGTERM.
 */
package io.shardprop.job.train;
