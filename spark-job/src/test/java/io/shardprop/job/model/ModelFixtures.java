package io.shardprop.job.model;

import io.shardprop.core.io.Npy;
import io.shardprop.core.model.Init;
import io.shardprop.core.model.Layout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-made model folders (no training): {@code model.json} as {@code train} writes it plus the weights. */
public final class ModelFixtures {

    private ModelFixtures() {
    }

    /** A 785-{@code hidden}-10 seed-loss model folder with weights drawn from {@code Init.HE}. */
    public static Path write(Path dir, int hidden) throws IOException {
        Files.createDirectories(dir);
        Layout layout = Layout.mnist(hidden);
        double[] params = Init.HE.draw(layout, 3);
        writeNpy(dir.resolve("W1.npy"), new int[]{785, hidden}, params, 0);
        writeNpy(dir.resolve("W2.npy"), new int[]{hidden, 10}, params, 785 * hidden);
        Files.writeString(dir.resolve("model.json"), json(hidden, "seed"));
        return dir;
    }

    /** The essential part of {@code model.json} for a one-hidden-layer model. */
    public static String json(int hidden, String loss) {
        return "{\"format\": \"shardprop-model\", \"format_version\": 1,\n"
                + " \"architecture\": {\"inputs\": 785, \"hidden\": [" + hidden + "], \"classes\": 10, "
                + "\"bias_vectors\": false},\n"
                + " \"weights\": {\"files\": [\"W1.npy\", \"W2.npy\"], \"dtype\": \"float64\", \"order\": \"C\"},\n"
                + " \"loss\": {\"mode\": \"" + loss + "\"}}\n";
    }

    /** Writes {@code data[offset .. offset + product(shape))} as a .npy file. */
    public static void writeNpy(Path file, int[] shape, double[] data, int offset) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            Npy.write(out, shape, data, offset);
        }
    }
}
