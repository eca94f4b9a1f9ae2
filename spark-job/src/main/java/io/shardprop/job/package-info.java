/** The Spark application: {@link io.shardprop.job.Main} and its subcommands. */
package io.shardprop.job;
