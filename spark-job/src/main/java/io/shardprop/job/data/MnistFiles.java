package io.shardprop.job.data;

import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;

import java.io.IOException;

/**
 * The four MNIST files, validated on the driver before any Spark work (by {@link IdxInputs}): images magic
 * {@code 0x803}, one image size for both sets, labels magic {@code 0x801}, and equal counts in each pair.
 */
public record MnistFiles(IdxFile trainImages, IdxFile trainLabels, IdxFile testImages, IdxFile testLabels) {

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /**
     * {@code dir/name}; or {@code dir/name.gz} when only that exists; or, when neither does, the parts of a split
     * set {@code dir/name.part-*} (plain or gzipped, as {@code augment --rows-per-file} writes them) when there are
     * some.
     */
    public static String inDir(HadoopFs fs, String dir, String name) throws IOException {
        String plain = HadoopFs.child(dir, name);
        String gz = plain + ".gz";
        if (fs.exists(plain)) {
            return plain;
        }
        if (fs.exists(gz)) {
            return gz;
        }
        String parts = plain + ".part-*";
        return fs.glob(parts).isEmpty() ? plain : parts;
    }

    /**
     * Opens and checks the four files: the test images must have the training images' size, which the header
     * gives ({@link #pixels()}).
     *
     * @param options the option of each file, in record order, to start its messages
     * @throws UsageException naming the option and file when one is missing or malformed
     */
    public static MnistFiles open(HadoopFs fs, String[] options, String[] uris) {
        IdxFile trainImages = IdxInputs.images(fs, options[0], uris[0]);
        IdxFile trainLabels = IdxInputs.labels(fs, options[1], uris[1], trainImages);
        IdxFile testImages = IdxInputs.images(fs, options[2], uris[2], IdxInputs.pixels(trainImages));
        IdxFile testLabels = IdxInputs.labels(fs, options[3], uris[3], testImages);
        return new MnistFiles(trainImages, trainLabels, testImages, testLabels);
    }

    /** The pixels of one image, from the training images' header (the test images have as many). */
    public int pixels() {
        return IdxInputs.pixels(trainImages);
    }
}
