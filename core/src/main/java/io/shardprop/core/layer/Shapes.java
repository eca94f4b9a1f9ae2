package io.shardprop.core.layer;

import io.shardprop.core.linalg.Mat;

/** Shape checks with messages that give both shapes. */
final class Shapes {

    private Shapes() {
    }

    static void same(String layer, Mat a, Mat b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException(layer + ": input is " + a.shape() + " but got " + b.shape());
        }
    }
}
