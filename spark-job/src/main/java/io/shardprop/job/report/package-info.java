/**
 * The pictures a run or an evaluation writes: {@code curves.png} (loss and accuracy per epoch),
 * {@code confusion.png} (heat map) and {@code mistakes.png} (misclassified digits). {@link
 * io.shardprop.job.report.Plots} is the entry point; each method writes PNG bytes to a stream that the
 * caller opens through Hadoop {@code FileSystem}. Charts are JFreeChart, drawn headless.
 */
package io.shardprop.job.report;
