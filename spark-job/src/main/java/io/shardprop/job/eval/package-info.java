/**
 * {@code evaluate}'s figures: loss, accuracy, per-class precision/recall/F1 and the confusion matrix,
 * computed over cached test blocks on the executors and reported as a table, JSON, CSV and pictures.
 */
package io.shardprop.job.eval;
