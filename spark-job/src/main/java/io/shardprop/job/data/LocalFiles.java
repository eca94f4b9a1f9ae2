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
        return read(fs, images, labels, io.shardprop.core.linalg.Precision.FLOAT64, false);
    }

    /**
     * The pair as a batch in {@code precision}; its pixels kept as bytes ({@link Batch#ofBytes}) when
     * {@code bytes}.
     */
    public static Batch read(HadoopFs fs, IdxFile images, IdxFile labels, io.shardprop.core.linalg.Precision precision,
                             boolean bytes) throws IOException {
        Pair p = readPair(fs, images, labels);
        IdxImages im = p.images();
        return bytes ? Batch.ofBytes(im.pixels(), im.imageSize(), p.labels(), 0, im.count(), precision)
                : Batch.fromBytes(im.pixels(), im.imageSize(), p.labels(), 0, im.count(), precision);
    }

    /** The pair as bytes, the parts of a split set one after another. */
    public static Pair readPair(HadoopFs fs, IdxFile images, IdxFile labels) throws IOException {
        if (!images.split() && !labels.split()) {
            return readPart(fs, images.parts().get(0), labels.parts().get(0));
        }
        long total = (long) images.count() * images.pixels();
        if (total > io.shardprop.core.data.Streams.MAX_PAYLOAD_BYTES) {
            throw new io.shardprop.job.error.UsageException("--engine", images.name() + ": " + total + " bytes of "
                    + "pixels, more than one process holds in an array (2 GB): train it on Spark");
        }
        byte[] pixels = new byte[(int) total];
        byte[] y = new byte[images.count()];
        int at = 0;
        for (IdxFile.Part part : images.parts()) {
            try (InputStream in = fs.open(part.uri())) {
                IdxImages im = Idx.readImages(in, part.name());
                System.arraycopy(im.pixels(), 0, pixels, at * images.pixels(), im.pixels().length);
                at += im.count();
            }
        }
        at = 0;
        for (IdxFile.Part part : labels.parts()) {
            try (InputStream in = fs.open(part.uri())) {
                byte[] l = Idx.readLabels(in, part.name());
                System.arraycopy(l, 0, y, at, Math.min(l.length, y.length - at));
                at += l.length;
            }
        }
        IdxImages all = new IdxImages(images.name(), images.count(), images.rows(), images.cols(), pixels);
        Idx.checkSameCount(all, java.util.Arrays.copyOf(y, at), labels.name());
        return new Pair(all, y);
    }

    private static Pair readPart(HadoopFs fs, IdxFile.Part images, IdxFile.Part labels) throws IOException {
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
