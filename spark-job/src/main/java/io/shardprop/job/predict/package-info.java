/**
 * Scoring a saved model ({@link io.shardprop.job.predict.Scoring}): {@code evaluate}'s pass over test data (the same
 * blocks, sums and bits as training's test pass) with its report and files, and {@code predict}'s table, a
 * predicted label and the class probabilities per row in input order, through Spark's writers.
 */
package io.shardprop.job.predict;
