/**
 * {@code augment}: a training set materialized with its deformed copies, InfiMNIST / "mnist8m" style. Row
 * {@code n·k + i} is copy {@code k} of training image {@code i} ({@link io.shardprop.job.augment.Copies}: copy 0
 * is the image itself, copy {@code k ≥ 1} what training with the same seed and deformation draws for sample
 * {@code i} in epoch {@code k}); the rows are planned into contiguous parts ({@link io.shardprop.job.augment.PartPlan})
 * that Spark tasks generate and write as IDX files ({@link io.shardprop.job.augment.IdxParts}) or Parquet
 * ({@link io.shardprop.job.augment.ParquetRows}), into a temporary folder renamed into place at the end
 * ({@link io.shardprop.job.augment.Augmenter}); and a preview sheet of the deformations, without Spark
 * ({@link io.shardprop.job.augment.PreviewSheet}).
 */
package io.shardprop.job.augment;
