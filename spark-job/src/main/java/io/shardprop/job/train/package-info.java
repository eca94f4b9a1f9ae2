/** The distributed epoch loop: broadcast weights, per-partition forward/backward, tree-aggregated gradients. */
package io.shardprop.job.train;
