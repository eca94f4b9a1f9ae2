/**
 * A trained model read back from its folder ({@code model.json} and the {@code .npy} weights) and the
 * forward passes that score images with it: what {@code evaluate}, {@code predict} and the Spark ML model
 * share.
 */
package io.shardprop.job.model;
