package io.shardprop.job.data;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Idx;
import io.shardprop.core.data.IdxImages;
import io.shardprop.job.io.HadoopFs;

import java.io.IOException;
import java.io.InputStream;

/** An images/labels pair read whole into this process (the single-process engine). */
public final class LocalFiles {

    private LocalFiles() {
    }

    public static Batch read(HadoopFs fs, IdxFile images, IdxFile labels) throws IOException {
        IdxImages im;
        byte[] y;
        try (InputStream in = fs.open(images.uri())) {
            im = Idx.readImages(in, images.name());
        }
        try (InputStream in = fs.open(labels.uri())) {
            y = Idx.readLabels(in, labels.name());
        }
        Idx.checkSameCount(im, y, labels.name());
        return Batch.fromBytes(im.pixels(), im.rows() * im.cols(), y, 0, im.count());
    }
}
