/** Optimizers (SGD, momentum, Adam) and learning-rate schedules; their state is what a checkpoint saves. */
package io.shardprop.core.optim;
