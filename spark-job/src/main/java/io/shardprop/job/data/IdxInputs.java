package io.shardprop.job.data;

import io.shardprop.core.data.Idx;
import io.shardprop.core.data.MalformedFileException;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;

import java.io.IOException;
import java.io.InputStream;

/**
 * One IDX input of {@code train}, {@code evaluate} or {@code predict} (a file, or a glob of the parts of a split
 * set), checked on the driver before any Spark work: it exists and has the right magic (every part); images have
 * the image size the model expects. A single file of at most {@value #DRIVER_CHECK_BYTES} bytes is also read whole here: a
 * gzipped images file is decompressed to its end (every member's CRC-32 and length) and labels are read (each
 * must be a digit 0–9). A larger file or a split set is not read on the driver: the executors check the same as they cache it
 * (labels as they read them, each gzipped part's trailer at its end), in that one pass, and a problem ends the
 * command the same way. Bad input is a {@link UsageException} or a {@link MalformedFileException}, exit code 2.
 */
public final class IdxInputs {

    /** Inputs up to this size are read whole on the driver before Spark starts; larger ones by the executors. */
    public static final long DRIVER_CHECK_BYTES = 64L << 20;

    private IdxInputs() {
    }

    /**
     * An images file ({@code 0x803}) of {@code pixels} pixels per image and at least one image.
     *
     * @throws UsageException starting with {@code option} when it is missing, malformed or of another size
     */
    public static IdxFile images(HadoopFs fs, String option, String uri, int pixels) {
        IdxFile f = images(fs, option, uri);
        int size = pixels(f);
        if (size != pixels) {
            throw new UsageException(option + ": " + f.name() + ": images are " + f.rows() + "x"
                    + f.cols() + " = " + size + " pixels, the model expects " + pixels);
        }
        return f;
    }

    /**
     * An images file ({@code 0x803}) of any image size and at least one image.
     *
     * @throws UsageException starting with {@code option} when it is missing or malformed
     */
    public static IdxFile images(HadoopFs fs, String option, String uri) {
        IdxFile f = open(fs, option, uri, Idx.IMAGES_MAGIC, "images");
        if (f.count() == 0) {
            throw new UsageException(option + ": " + f.name() + ": no images");
        }
        return f;
    }

    /** The pixels of one image of {@code images}, as its header gives them. */
    public static int pixels(IdxFile images) {
        return images.pixels();
    }

    /** A labels file ({@code 0x801}) with exactly one label per image of {@code images}. */
    public static IdxFile labels(HadoopFs fs, String option, String uri, IdxFile images) {
        IdxFile f = open(fs, option, uri, Idx.LABELS_MAGIC, "labels");
        if (f.count() != images.count()) {
            throw new UsageException(option + ": " + f.name() + " has " + f.count() + " labels but "
                    + images.name() + " has " + images.count() + " images");
        }
        return f;
    }

    private static IdxFile open(HadoopFs fs, String option, String uri, int magic, String what) {
        try {
            if (!HadoopFs.isGlob(uri) && !fs.isFile(uri)) {
                throw new UsageException(option + ": " + uri + " does not exist or is not a file");
            }
            IdxFile f = IdxFile.open(fs, HadoopFs.isGlob(uri) ? uri : fs.qualify(uri));
            if (f.magic() != magic) {
                throw new MalformedFileException(f.name(), String.format("magic 0x%08x, expected 0x%08x (%s)",
                        f.magic(), magic, what));
            }
            if (!f.split() && f.bytes() <= DRIVER_CHECK_BYTES) {
                for (IdxFile.Part p : f.parts()) {
                    if (magic == Idx.LABELS_MAGIC) {
                        try (InputStream in = fs.open(p.uri())) {
                            Idx.readLabels(in, p.name());  // every label 0-9, and a gzip's trailer
                        }
                    } else if (p.gzip()) {
                        try (InputStream in = fs.open(p.uri())) {
                            Idx.verify(in, p.name());  // every member's CRC-32 and length
                        }
                    }
                }
            }
            return f;
        } catch (MalformedFileException e) {
            throw new UsageException(option + ": " + e.getMessage());
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UsageException(option + ": " + uri + ": cannot read: " + e.getMessage());
        }
    }
}
