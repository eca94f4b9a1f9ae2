/** A training run's settings, validated: what {@code train}'s options and config file say, without picocli. */
package io.shardprop.job.config;
