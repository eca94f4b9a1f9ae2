package io.shardprop.job.cli;

import io.shardprop.core.linalg.Precision;
import io.shardprop.core.onnx.OnnxGraph;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.io.OutFolder;
import io.shardprop.job.model.OnnxModels;
import io.shardprop.job.model.SavedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code export}: a trained model as an ONNX file, for ONNX Runtime and other serving stacks. No Spark. */
@Command(name = "export", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Export a trained model (a run folder or its model folder) as an ONNX file: input 'features' "
                + "[N x inputs] (or 'pixels' with --input pixels), outputs 'probabilities' [N x classes] and 'label' [N] "
                + "(int64, the first maximum, as predict), or 'prediction' [N x outputs] for a regression. IR version "
                + OnnxGraph.IR_VERSION + ", opset " + OnnxGraph.OPSET + ". Runs without Spark.",
        footer = {"", "Exit codes: 0 success, 1 runtime failure, 2 bad option or model."})
public final class ExportCommand implements Callable<Integer> {

    /** Export formats (one today). */
    public enum Format { ONNX }

    /** What the graph takes: the model's features, or raw pixels it divides by 255. */
    public enum Input { FEATURES, PIXELS }

    @Mixin
    ModelOption model;
    @Option(names = "--out", paramLabel = "FILE", description = "The file to write (e.g. model.onnx).")
    String out;
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx", converter = OfExportFormat.class,
            description = "onnx (default: ${DEFAULT-VALUE}).")
    Format format;
    @Option(names = "--precision", paramLabel = "P", defaultValue = "float32", converter = OfPrecision.class,
            description = "float32 (what serving runs) or float64 (the trained weights exactly; ONNX Runtime runs it "
                    + "too) (default: ${DEFAULT-VALUE}).")
    Precision precision;
    @Option(names = "--input", paramLabel = "KIND", defaultValue = "features", converter = OfInput.class,
            description = "features: the values the model was trained on (MNIST: pixel / 255); pixels: raw pixels "
                    + "0-255, divided by 255 in the graph (models trained on IDX images) (default: ${DEFAULT-VALUE}).")
    Input input;
    @Option(names = "--overwrite", description = "Replace --out if it exists.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        if (out == null) {
            throw new UsageException("--out FILE is required (e.g. model.onnx)");
        }
        HadoopFs fs = HadoopFs.beforeSpark();
        SavedModel saved = model.load(fs);
        String target = checkOut(fs);
        byte[] bytes = OnnxModels.export(saved, precision, input == Input.PIXELS);
        OnnxModels.write(fs, target, bytes);
        System.out.printf("exported %s (%s) as ONNX, %s, input %s: %s (%,d bytes)%n", saved.dir(), saved.describe(),
                precision.id(), input.name().toLowerCase(Locale.ROOT), target, bytes.length);
        return 0;
    }

    /** {@code --out}: a file, replaced only with --overwrite; its folder must exist and be writable. */
    private String checkOut(HadoopFs fs) {
        try {
            String q = fs.qualify(out);
            if (fs.exists(q)) {
                if (fs.isDirectory(q)) {
                    throw new UsageException("--out: " + q + " is a folder, not a file");
                }
                if (!overwrite) {
                    throw new UsageException("--out: " + q + " already exists; pass --overwrite to replace it");
                }
            }
            String parent = new org.apache.hadoop.fs.Path(q).getParent().toString();
            if (!fs.exists(parent) || !fs.isDirectory(parent)) {
                throw new UsageException("--out: " + parent + " is not an existing folder");
            }
            OutFolder.probeWritable(fs, parent, "--out: " + q);
            return q;
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new UsageException("--out: " + out + ": " + e.getMessage());
        }
    }

    static final class OfExportFormat extends Choice<Format> {
        OfExportFormat() {
            super(Format.class);
        }
    }

    static final class OfPrecision extends Choice<Precision> {
        OfPrecision() {
            super(Precision.class);
        }
    }

    static final class OfInput extends Choice<Input> {
        OfInput() {
            super(Input.class);
        }
    }
}
