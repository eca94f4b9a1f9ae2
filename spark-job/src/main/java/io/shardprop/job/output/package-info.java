/** What a run writes into {@code --out}: metrics.csv, model/W1.npy, model/W2.npy, model/model.json. */
package io.shardprop.job.output;
