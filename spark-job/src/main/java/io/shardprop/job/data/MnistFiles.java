package io.shardprop.job.data;

import io.shardprop.core.data.Idx;
import io.shardprop.core.data.MalformedFileException;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;

import java.io.IOException;

/**
 * The four MNIST files, validated on the driver before any Spark work: images magic {@code 0x803} with
 * the expected image size, labels magic {@code 0x801}, and equal counts in each pair.
 */
public record MnistFiles(IdxFile trainImages, IdxFile trainLabels, IdxFile testImages, IdxFile testLabels) {

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** {@code dir/name}, or {@code dir/name.gz} when only that exists. */
    public static String inDir(HadoopFs fs, String dir, String name) throws IOException {
        String plain = HadoopFs.child(dir, name);
        String gz = plain + ".gz";
        return !fs.exists(plain) && fs.exists(gz) ? gz : plain;
    }

    /**
     * Opens and checks the four files.
     *
     * @param pixels the image size the model expects (784)
     * @throws UsageException naming the option and file when one is missing or malformed
     */
    public static MnistFiles open(HadoopFs fs, String[] options, String[] uris, int pixels) {
        IdxFile[] files = new IdxFile[4];
        for (int i = 0; i < 4; i++) {
            try {
                if (!fs.isFile(uris[i])) {
                    throw new UsageException(options[i] + ": " + uris[i] + " does not exist or is not a file");
                }
                files[i] = IdxFile.open(fs, uris[i]);
                int expectedMagic = i % 2 == 0 ? Idx.IMAGES_MAGIC : Idx.LABELS_MAGIC;
                if (files[i].header().magic() != expectedMagic) {
                    throw new MalformedFileException(files[i].name(), String.format(
                            "magic 0x%08x, expected 0x%08x (%s)", files[i].header().magic(), expectedMagic,
                            i % 2 == 0 ? "images" : "labels"));
                }
            } catch (MalformedFileException e) {
                throw new UsageException(options[i] + ": " + e.getMessage());
            } catch (IOException e) {
                throw new UsageException(options[i] + ": " + uris[i] + ": cannot read: " + e.getMessage());
            }
        }
        MnistFiles m = new MnistFiles(files[0], files[1], files[2], files[3]);
        m.checkPair(m.trainImages, m.trainLabels, pixels);
        m.checkPair(m.testImages, m.testLabels, pixels);
        return m;
    }

    private void checkPair(IdxFile images, IdxFile labels, int pixels) {
        int size = images.header().rows() * images.header().cols();
        if (size != pixels) {
            throw new UsageException(images.name() + ": images are " + images.header().rows() + "x"
                    + images.header().cols() + " = " + size + " pixels, the model expects " + pixels);
        }
        if (images.header().count() != labels.header().count()) {
            throw new UsageException(images.name() + " has " + images.header().count() + " images but "
                    + labels.name() + " has " + labels.header().count() + " labels");
        }
        if (images.header().count() == 0) {
            throw new UsageException(images.name() + ": no images");
        }
    }
}
