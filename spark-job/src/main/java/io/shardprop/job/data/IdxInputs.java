package io.shardprop.job.data;

import io.shardprop.core.data.Idx;
import io.shardprop.core.data.MalformedFileException;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;

import java.io.IOException;
import java.io.InputStream;

/**
 * One IDX input of {@code train}, {@code evaluate} or {@code predict}, checked on the driver before any Spark
 * work: it exists and has the right magic; images have the image size the model expects, and a gzipped images
 * file is decompressed to its end once (every member's CRC-32 and length); labels are read whole (a few
 * bytes per image) and each must be a digit 0–9. Bad input is a {@link UsageException}, exit code 2.
 */
public final class IdxInputs {

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
            throw new UsageException(option + ": " + f.name() + ": images are " + f.header().rows() + "x"
                    + f.header().cols() + " = " + size + " pixels, the model expects " + pixels);
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
        if (f.header().count() == 0) {
            throw new UsageException(option + ": " + f.name() + ": no images");
        }
        return f;
    }

    /** The pixels of one image of {@code images}, as its header gives them. */
    public static int pixels(IdxFile images) {
        return images.header().rows() * images.header().cols();
    }

    /** A labels file ({@code 0x801}) with exactly one label per image of {@code images}. */
    public static IdxFile labels(HadoopFs fs, String option, String uri, IdxFile images) {
        IdxFile f = open(fs, option, uri, Idx.LABELS_MAGIC, "labels");
        if (f.header().count() != images.header().count()) {
            throw new UsageException(option + ": " + f.name() + " has " + f.header().count() + " labels but "
                    + images.name() + " has " + images.header().count() + " images");
        }
        return f;
    }

    private static IdxFile open(HadoopFs fs, String option, String uri, int magic, String what) {
        try {
            if (!fs.isFile(uri)) {
                throw new UsageException(option + ": " + uri + " does not exist or is not a file");
            }
            IdxFile f = IdxFile.open(fs, fs.qualify(uri));
            if (f.header().magic() != magic) {
                throw new MalformedFileException(f.name(), String.format("magic 0x%08x, expected 0x%08x (%s)",
                        f.header().magic(), magic, what));
            }
            if (magic == Idx.LABELS_MAGIC) {
                try (InputStream in = fs.open(f.uri())) {
                    Idx.readLabels(in, f.name());  // every label 0-9, and a gzip's trailer: labels are small
                }
            } else if (f.gzip()) {
                try (InputStream in = fs.open(f.uri())) {
                    Idx.verify(in, f.name());  // executors read byte ranges and never reach the trailer
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
