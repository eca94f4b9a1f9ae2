/** {@code predict}'s output: a predicted label and the class probabilities per image, through Spark's writers. */
package io.shardprop.job.predict;
