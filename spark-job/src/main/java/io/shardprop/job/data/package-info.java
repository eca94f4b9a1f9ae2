/** MNIST IDX files → validated headers on the driver → cached blocks of consecutive samples on executors. */
package io.shardprop.job.data;
