/** File access through Hadoop {@code FileSystem}, so {@code file:}, {@code hdfs:} and {@code s3a:} paths all work. */
package io.shardprop.job.io;
