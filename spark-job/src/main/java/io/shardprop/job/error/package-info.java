/** Errors in what the user gave (options, files, data): one line for the user and exit code 2. */
package io.shardprop.job.error;
