/**
 * A training run's settings: every training option declared once ({@link io.shardprop.job.config.TrainOptions},
 * a table of {@link io.shardprop.job.config.TrainOption}s: name, type, default, range, doc, whether it shapes the
 * weights), the values they take ({@link io.shardprop.job.config.OptionValues}, range-checked once) and the
 * validated {@link io.shardprop.job.config.TrainConfig}; problems as
 * {@link io.shardprop.job.config.OptionException}s worded in the caller's {@link io.shardprop.job.config.Vocabulary}.
 * No picocli and no Spark ML here: the command line and the estimator derive their surfaces from these.
 */
package io.shardprop.job.config;
