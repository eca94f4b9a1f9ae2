/**
 * What a run writes into {@code --out}: {@code metrics.csv}, the model folder ({@code model.json} and a
 * {@code .npy} per weight matrix and bias vector), the pictures, a checkpoint per {@code --checkpoint-every}
 * epochs, and the marker of its state ({@code _RUNNING}, {@code _SUCCESS} or {@code _FAILED}).
 */
package io.shardprop.job.output;
