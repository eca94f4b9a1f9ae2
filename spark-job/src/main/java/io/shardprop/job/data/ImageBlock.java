package io.shardprop.job.data;

import io.shardprop.core.linalg.Mat;

import java.io.Serializable;

/**
 * Images {@code [first, first + x.rows())} of an unlabelled images file, block number {@code index}: the
 * model's input {@code x [rows x (pixels + 1)]}, pixels scaled by {@code /255.0} and followed by the ones
 * column, exactly as {@link io.shardprop.core.data.Batch#fromBytes} builds training inputs.
 */
public record ImageBlock(int index, int first, Mat x) implements Serializable {

    /** Number of images. */
    public int size() {
        return x.rows();
    }
}
