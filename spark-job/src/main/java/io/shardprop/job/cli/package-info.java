/** The command line: picocli commands, {@code --config} files, validation before Spark starts. */
package io.shardprop.job.cli;
