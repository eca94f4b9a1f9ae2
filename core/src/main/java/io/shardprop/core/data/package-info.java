/**
 * Training data: readers and writers for MNIST's IDX files ({@link io.shardprop.core.data.Idx}), their
 * validated header ({@link io.shardprop.core.data.IdxHeader}) and the one exception every reader in
 * {@code core} throws for bad content ({@link io.shardprop.core.data.MalformedFileException}); samples as the
 * model's input rows with their labels ({@link io.shardprop.core.data.Batch}), the blocks of consecutive
 * samples that are training's unit of work ({@link io.shardprop.core.data.Block}), and the random
 * deformations of {@code --shift}, {@code --elastic-alpha}, {@code --rotate}, {@code --scale} and {@code --shear} ({@link io.shardprop.core.data.Deformation}, one resampling: {@link io.shardprop.core.data.Warp}).
 *
 * <p>Readers take {@link java.io.InputStream}s, never paths; they check every header field before
 * reading a payload, never allocate from an unchecked size, and report too little or too much data
 * with the expected byte count.
 */
package io.shardprop.core.data;
