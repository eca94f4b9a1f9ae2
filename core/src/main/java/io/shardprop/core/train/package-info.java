/** The single-process full-batch trainer: the reference every distributed result is compared with. */
package io.shardprop.core.train;
