package io.shardprop.job.cli;

import io.shardprop.core.data.Deformation;
import io.shardprop.job.augment.Augmenter;
import io.shardprop.job.augment.Copies;
import io.shardprop.job.augment.PreviewSheet;
import io.shardprop.job.augment.SourceImages;
import io.shardprop.job.config.Augmentation;
import io.shardprop.job.config.OptionValues;
import io.shardprop.job.config.TrainOption;
import io.shardprop.job.config.TrainOptions;
import io.shardprop.job.data.MnistFiles;
import io.shardprop.job.error.UsageException;
import io.shardprop.job.io.HadoopFs;
import io.shardprop.job.io.OutFolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code augment}: parses, checks the MNIST folder, the deformation (the declared training options, added by
 * {@link Flags}) and {@code --out} before any Spark work, then has {@link Augmenter} write the set, or
 * {@link PreviewSheet} draw the preview.
 */
@Command(name = "augment", sortOptions = false, mixinStandardHelpOptions = true, modelTransformer = AugmentCommand.Flags.class,
        description = {"Write the MNIST training set followed by K deformed copies of it (InfiMNIST / mnist8m style): "
                + "row n*k + i is copy k of training image i (copy 0 the image itself, copy k what training with "
                + "the same --seed and deformation draws for sample i in epoch k), as IDX files (with the test "
                + "files copied, so train --data OUT works) or Parquet folders train and test (train --format "
                + "parquet --train OUT/train --test OUT/test). Or, with --preview, a PNG of a few digits and their "
                + "first copies. docs/deformations.png was made by: augment --data data/mnist --preview "
                + "docs/deformations.png --elastic-alpha 34 --elastic-sigma 4 --rotate 15 --scale 0.15 --shear 15."},
        footer = {"", "Exit codes: 0 success, 1 runtime failure, 2 bad option or input file."})
public final class AugmentCommand implements Callable<Integer> {

    /** How the set is stored. */
    enum SetFormat {
        IDX, PARQUET
    }

    /** The declared deformation options (and the seed), each with its declared default. */
    static final List<TrainOption<?>> DEFORMATION = List.of(TrainOptions.SEED, TrainOptions.SHIFT,
            TrainOptions.ELASTIC_ALPHA, TrainOptions.ELASTIC_SIGMA, TrainOptions.ROTATE, TrainOptions.SCALE,
            TrainOptions.SHEAR, TrainOptions.IMAGE_HEIGHT);

    @Spec
    CommandSpec spec;
    @Option(names = "--data", paramLabel = "DIR", required = true,
            description = "Folder with the four MNIST IDX files (plain or .gz).")
    String data;
    @Option(names = "--copies", paramLabel = "K", defaultValue = "-1",
            description = "Deformed copies of every training image after the images themselves (134: 8,100,000 "
                    + "rows); required unless --preview.")
    int copies;
    @Option(names = "--format", paramLabel = "FORMAT", converter = OfSetFormat.class, defaultValue = "idx",
            description = "idx (default) or parquet (columns row, label and features, an array of pixel / 255).")
    SetFormat format;
    @Option(names = "--gzip", description = "Gzip the IDX files (.gz).")
    boolean gzip;
    @Option(names = "--rows-per-file", paramLabel = "N", defaultValue = "0",
            description = "IDX: split the training files into complete IDX files of N rows, in row order, named "
                    + "train-images-idx3-ubyte.part-00000 ...; 0 = one file (default: ${DEFAULT-VALUE}).")
    long rowsPerFile;
    @Option(names = "--partitions", paramLabel = "P", defaultValue = "0",
            description = "Parts, each written by one Spark task; 0 = one per file with --rows-per-file, else one "
                    + "per 500,000 rows, at least the default parallelism (default: ${DEFAULT-VALUE}).")
    int partitions;
    @Option(names = "--preview", paramLabel = "FILE.png", description = "Instead of the set: a PNG of digits and "
            + "their first copies (no Spark).")
    String preview;
    @Option(names = "--preview-digits", paramLabel = "N", defaultValue = "8",
            description = "Rows of the preview, one digit each (default: ${DEFAULT-VALUE}).")
    int previewDigits;
    @Option(names = "--preview-copies", paramLabel = "M", defaultValue = "6",
            description = "Copies after each digit in the preview (default: ${DEFAULT-VALUE}).")
    int previewCopies;
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (required unless --preview).")
    String out;
    @Option(names = "--overwrite", description = "Replace --out (or the --preview file) if it exists.")
    boolean overwrite;

    /** augment's flags for the deformation options, declared once in {@link TrainOptions}. */
    static final class Flags implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            Map<TrainOption<?>, Object> defaults = new LinkedHashMap<>();
            DEFORMATION.forEach(o -> defaults.put(o, o.defaultValue()));
            return TrainingFlags.add(spec, defaults);
        }
    }

    static final class OfSetFormat extends Choice<SetFormat> {
        OfSetFormat() {
            super(SetFormat.class);
        }
    }

    @Override
    public Integer call() throws Exception {
        OptionValues values = OptionValues.from(o -> DEFORMATION.contains(o) ? TrainingFlags.value(spec, o)
                : o.defaultValue()).checked();
        HadoopFs fs = HadoopFs.beforeSpark();
        if (preview != null) {
            return preview(fs, values);
        }
        if (copies < 0) {
            throw new UsageException("--copies", copies == -1 ? "--copies K is required (0 or more deformed copies)"
                    : "--copies must be 0 or more, got " + copies);
        }
        if (rowsPerFile < 0 || partitions < 0) {
            throw new UsageException(rowsPerFile < 0 ? "--rows-per-file" : "--partitions", rowsPerFile < 0
                    ? "--rows-per-file must be 0 (one file) or more, got " + rowsPerFile
                    : "--partitions must be 0 (the default) or more, got " + partitions);
        }
        if (format == SetFormat.PARQUET && (gzip || rowsPerFile > 0)) {
            throw new UsageException(gzip ? "--gzip" : "--rows-per-file", (gzip ? "--gzip" : "--rows-per-file")
                    + " goes with --format idx (Parquet parts are compressed and split by Spark's writer)");
        }
        if (out == null) {
            throw new UsageException("--out", "--out DIR is required (or --preview FILE.png)");
        }
        MnistFiles files = files(fs);
        Deformation d = deformation(values, files.pixels(), copies, "--copies " + copies);
        String target = OutFolder.check(fs, out, overwrite, List.of(Augmenter.MARKER), "a folder of augment");
        Copies rows = new Copies(SourceImages.read(fs, files.trainImages(), files.trainLabels()), d,
                values.get(TrainOptions.SEED), copies);
        new Augmenter(rows, files.testImages(), files.testLabels(), format == SetFormat.PARQUET, gzip, rowsPerFile,
                partitions).write(fs, target);
        return 0;
    }

    private int preview(HadoopFs fs, OptionValues values) throws IOException {
        if (previewDigits < 1 || previewCopies < 1) {
            throw new UsageException(previewDigits < 1 ? "--preview-digits" : "--preview-copies",
                    (previewDigits < 1 ? "--preview-digits" : "--preview-copies") + " must be 1 or more");
        }
        if (!preview.toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new UsageException("--preview", "--preview: " + preview + " must end in .png");
        }
        String target = fs.qualify(preview);
        if (fs.exists(target) && !overwrite) {
            throw new UsageException("--preview", "--preview: " + target + " already exists; pass --overwrite to "
                    + "replace it");
        }
        MnistFiles files = files(fs);
        Deformation d = deformation(values, files.pixels(), previewCopies, "--preview");
        Copies rows = new Copies(SourceImages.read(fs, files.trainImages(), files.trainLabels()), d,
                values.get(TrainOptions.SEED), previewCopies);
        PreviewSheet.write(fs, target, rows, Math.min(previewDigits, rows.source().count()));
        int[] wh = PreviewSheet.size(rows.source().height(), rows.source().width(),
                Math.min(previewDigits, rows.source().count()), previewCopies);
        System.out.printf(Locale.ROOT, "wrote %s: %d digits, each with %d copies (%d x %d px)%n", target,
                Math.min(previewDigits, rows.source().count()), previewCopies, wh[0], wh[1]);
        return 0;
    }

    /** The deformation, refused when copies are wanted and none is given. */
    private static Deformation deformation(OptionValues values, int pixels, int copies, String what) {
        Augmentation a = Augmentation.of(values);
        if (copies > 0 && !a.enabled()) {
            throw new UsageException(what.split(" ")[0], what + " needs a deformation: give --shift, "
                    + "--elastic-alpha, --rotate, --scale or --shear (e.g. --elastic-alpha 34 --rotate 15 --scale 0.15 "
                    + "--shear 15)");
        }
        return a.on(pixels);
    }

    /** The four files of {@code --data}, checked. */
    private MnistFiles files(HadoopFs fs) {
        String[] names = {MnistFiles.TRAIN_IMAGES, MnistFiles.TRAIN_LABELS, MnistFiles.TEST_IMAGES,
            MnistFiles.TEST_LABELS};
        String[] uris = new String[4];
        try {
            for (int i = 0; i < 4; i++) {
                uris[i] = fs.qualify(MnistFiles.inDir(fs, data, names[i]));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UsageException("--data", "--data: " + data + ": " + e.getMessage());
        }
        return MnistFiles.open(fs, new String[]{"--data", "--data", "--data", "--data"}, uris);
    }
}
