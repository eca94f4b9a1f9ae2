package io.shardprop.job.augment;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How {@code rows} rows are cut, in row order, into output files of at most {@code rowsPerFile} rows (the last
 * may be shorter; 0 or at least {@code rows}: one file) and each file into parts of at most {@code partRows} rows,
 * one Spark task each. A part that is a whole file is written complete by its task; the parts of a longer file
 * are joined in order on the driver.
 *
 * @param rows        all rows
 * @param rowsPerFile rows of a file but the last
 * @param parts       the parts, in row order; a part's index is its task's partition
 */
public record PartPlan(long rows, long rowsPerFile, List<Part> parts) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The most rows of a part: a task's rows are counted in an int. */
    static final long MAX_PART = Integer.MAX_VALUE / 1024;

    /**
     * Rows {@code [first, first + rows)}, in file {@code file}.
     *
     * @param whole whether the part is its whole file
     */
    public record Part(int index, int file, long first, int rows, boolean whole) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * @param rowsPerFile rows per file; 0 for one file
     * @param partCount   the parts to aim for: each file is cut into {@code ceil(partCount / files)} near-equal
     *                    parts (one, a whole file, when there are at least as many files)
     */
    public static PartPlan of(long rows, long rowsPerFile, int partCount) {
        if (rows < 1 || rowsPerFile < 0 || partCount < 1) {
            throw new IllegalArgumentException("rows " + rows + ", rows per file " + rowsPerFile + ", parts "
                    + partCount);
        }
        long perFile = rowsPerFile == 0 || rowsPerFile > rows ? rows : rowsPerFile;
        long files = (rows + perFile - 1) / perFile;
        long perFileParts = Math.max((partCount + files - 1) / files, (perFile + MAX_PART - 1) / MAX_PART);
        List<Part> parts = new ArrayList<>();
        int file = 0;
        for (long start = 0; start < rows; start += perFile, file++) {
            long end = Math.min(rows, start + perFile);
            int pieces = (int) Math.min(perFileParts, end - start);
            for (int q = 0; q < pieces; q++) {
                long a = start + (end - start) * q / pieces;  // near-equal pieces of the file
                long b = start + (end - start) * (q + 1) / pieces;
                parts.add(new Part(parts.size(), file, a, (int) (b - a), pieces == 1));
            }
        }
        return new PartPlan(rows, perFile, List.copyOf(parts));
    }

    /** Output files. */
    public int files() {
        return (int) ((rows + rowsPerFile - 1) / rowsPerFile);
    }

    /** First row of file {@code file}. */
    public long fileStart(int file) {
        return file * rowsPerFile;
    }

    /** Rows of file {@code file}. */
    public int fileRows(int file) {
        return (int) (Math.min(rows, fileStart(file) + rowsPerFile) - fileStart(file));
    }

    /** The parts of file {@code file}, in row order. */
    public List<Part> partsOf(int file) {
        return parts.stream().filter(p -> p.file() == file).toList();
    }

    /**
     * The name of file {@code file} of a set called {@code base} (e.g. {@code train-images-idx3-ubyte}): the base
     * for one file, else {@code base.part-00000}, {@code base.part-00001}, ...; then {@code .gz} if gzipped.
     */
    public String fileName(String base, int file, boolean gzip) {
        String name = files() == 1 ? base : String.format(Locale.ROOT, "%s.part-%05d", base, file);
        return gzip ? name + ".gz" : name;
    }
}
