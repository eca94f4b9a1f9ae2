package io.shardprop.job.train;

import io.shardprop.job.data.IdxFile;
import io.shardprop.job.data.MnistFiles;
import io.shardprop.job.model.ModelManifest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run trained on, as its outputs describe it: the files (for {@code model.json}), how the inputs were
 * scaled, the training row count, and the image size when the rows are images (0 otherwise: then there is no
 * {@code mistakes.png}).
 *
 * @param files        each input by name: where, how big, how many rows
 * @param inputScaling e.g. {@code pixel / 255.0}
 * @param trainRows    rows of the training set
 * @param imageRows    image height, 0 for rows that are not images
 * @param imageCols    image width, 0 for rows that are not images
 */
public record RunData(Map<String, ModelManifest.DataFile> files, String inputScaling, long trainRows, int imageRows,
                      int imageCols) {

    /** The four MNIST files. */
    public static RunData of(MnistFiles m) {
        Map<String, ModelManifest.DataFile> files = new LinkedHashMap<>();
        for (IdxFile f : new IdxFile[]{m.trainImages(), m.trainLabels(), m.testImages(), m.testLabels()}) {
            files.put(f.name(), new ModelManifest.DataFile(f.uri(), f.bytes(), f.count()));
        }
        return new RunData(files, "pixel / 255.0", m.trainImages().count(), m.testImages().rows(),
                m.testImages().cols());
    }

    /** Whether the rows are images (so mistakes can be drawn). */
    public boolean images() {
        return imageRows > 0 && imageCols > 0;
    }
}
