/**
 * What a failed command tells the user, in one line and an exit code: errors in what the user gave
 * (options, files, data: exit 2), failures found anywhere in an exception's cause chain, executors' included
 * (exit 1 or 2), and a stop by SIGINT or SIGTERM (exit 130 or 143).
 */
package io.shardprop.job.error;
