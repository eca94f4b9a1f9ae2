/**
 * A trained model's folder ({@code model.json} and the {@code .npy} weights), written and read back, and the
 * forward passes that score rows with it: what {@code train}, {@code evaluate}, {@code predict} and the
 * Spark ML model share.
 */
package io.shardprop.job.model;
