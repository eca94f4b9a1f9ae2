/**
 * Input data as cached blocks of consecutive samples: MNIST IDX files (headers validated on the driver, byte
 * ranges read on the executors; unlabelled images for {@code predict}), LibSVM, Parquet and CSV files as
 * DataFrames cut into the same blocks, the files read whole for the single-process engine, and how a step's
 * sums reach the driver.
 */
package io.shardprop.job.data;
