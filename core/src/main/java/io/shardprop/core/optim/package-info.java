/**
 * Optimizers (SGD, momentum, Adam), learning-rate schedules, and the driver's outer update after a round of
 * local steps (average or Nesterov); their state is what a checkpoint saves.
 */
package io.shardprop.core.optim;
