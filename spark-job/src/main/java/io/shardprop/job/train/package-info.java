/**
 * {@code train}'s run, whatever the engine: core's trainer over the data as gradient sources (on Spark,
 * cached blocks whose partitions run forward/backward against the broadcast weights and whose exact sums
 * are aggregated to the driver), progress lines, the run's outputs, and a clean stop on SIGINT or SIGTERM.
 */
package io.shardprop.job.train;
