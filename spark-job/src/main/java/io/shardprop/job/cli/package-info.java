/**
 * The command line: picocli commands that parse, call a workflow ({@code train.TrainWorkflow},
 * {@code predict.Scoring}, the benchmarks) and report; {@code train}'s training flags generated from the option
 * declarations ({@link io.shardprop.job.cli.TrainingFlags}), shared option groups as mixins, {@code --config}
 * files, and validation before Spark starts.
 */
package io.shardprop.job.cli;
