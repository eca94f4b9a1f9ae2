package io.shardprop.job.data;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Idx;
import io.shardprop.core.data.IdxImages;
import io.shardprop.job.io.HadoopFs;

import java.io.IOException;
import java.io.InputStream;

/** An images/labels pair read whole into this process (the single-process engine, {@code augment}). */
public final class LocalFiles {

    /** The images and their labels, as the files hold them (the same count, checked). */
    public record Pair(IdxImages images, byte[] labels) {
    }

    private LocalFiles() {
    }

    /** The pair as a batch of the model's input rows. */
    public static Batch read(HadoopFs fs, IdxFile images, IdxFile labels) throws IOException {
        Pair p = readPair(fs, images, labels);
        IdxImages im = p.images();
        return Batch.fromBytes(im.pixels(), im.rows() * im.cols(), p.labels(), 0, im.count());
    }

    /** The pair as bytes. */
    public static Pair readPair(HadoopFs fs, IdxFile images, IdxFile labels) throws IOException {
        IdxImages im;
        byte[] y;
        try (InputStream in = fs.open(images.uri())) {
            im = Idx.readImages(in, images.name());
        }
        try (InputStream in = fs.open(labels.uri())) {
            y = Idx.readLabels(in, labels.name());
        }
        Idx.checkSameCount(im, y, labels.name());
        return new Pair(im, y);
    }
}
