/**
 * {@code bench} and {@code blas}: epoch times of ShardProp, Spark's overhead, and MLlib's
 * MultilayerPerceptronClassifier side by side; where a block's time goes and the floor of the first layer's
 * products; the rate of this JVM's BLAS; and the tables of those figures.
 */
package io.shardprop.job.bench;
