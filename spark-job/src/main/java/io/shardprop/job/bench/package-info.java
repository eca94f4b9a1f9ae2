/** {@code bench}: epoch times of ShardProp, Spark's overhead, and MLlib's MultilayerPerceptronClassifier, side by side. */
package io.shardprop.job.bench;
