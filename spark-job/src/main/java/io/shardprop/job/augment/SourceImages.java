package io.shardprop.job.augment;

import io.shardprop.core.data.IdxImages;
import io.shardprop.job.data.IdxFile;
import io.shardprop.job.data.LocalFiles;
import io.shardprop.job.io.HadoopFs;

import java.io.IOException;
import java.io.Serializable;

/**
 * The training images and labels that {@code augment} copies, read whole on the driver once (MNIST's 60,000
 * images are 47 MB) and sent to the tasks as part of a broadcast {@link Copies}.
 *
 * @param count  images
 * @param height rows of an image
 * @param width  columns of an image
 * @param pixels {@code count · height · width} unsigned bytes, image after image, row-major
 * @param labels one byte per image
 */
public record SourceImages(int count, int height, int width, byte[] pixels, byte[] labels) implements Serializable {

    private static final long serialVersionUID = 1L;

    public SourceImages {
        if (count < 1 || pixels.length != (long) count * height * width || labels.length != count) {
            throw new IllegalArgumentException("SourceImages: " + pixels.length + " pixels and " + labels.length
                    + " labels for " + count + " images of " + height + " x " + width);
        }
    }

    /** Reads both (checked) files whole. */
    public static SourceImages read(HadoopFs fs, IdxFile images, IdxFile labels) throws IOException {
        LocalFiles.Pair p = LocalFiles.readPair(fs, images, labels);
        IdxImages im = p.images();
        return new SourceImages(im.count(), im.rows(), im.cols(), im.pixels(), p.labels());
    }

    /** Pixels of one image. */
    public int pixelsPerImage() {
        return height * width;
    }
}
