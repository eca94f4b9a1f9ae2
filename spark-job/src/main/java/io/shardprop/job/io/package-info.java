/**
 * The commands' plumbing: file access through Hadoop {@code FileSystem}, so {@code file:}, {@code hdfs:} and
 * {@code s3a:} paths all work (a Configuration that travels to executors included); the checks of an
 * {@code --out} folder; the SparkSession a command runs in; the BLAS log line and the build's version.
 */
package io.shardprop.job.io;
