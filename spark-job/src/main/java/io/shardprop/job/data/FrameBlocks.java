package io.shardprop.job.data;

import io.shardprop.core.data.Batch;
import io.shardprop.core.data.Block;
import io.shardprop.core.data.MalformedFileException;
import io.shardprop.core.exact.ExactSum;
import io.shardprop.core.linalg.ByteMat;
import io.shardprop.core.linalg.Precision;
import io.shardprop.core.model.TargetScaling;
import io.shardprop.core.train.LocalSteps;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A DataFrame of feature vectors and labels as cached {@link Block}s, like {@link Blocks} makes them of IDX
 * files: row {@code i} (in the DataFrame's order) is in block {@code i / blockSize}, so block boundaries depend
 * only on the row count and the block size. {@link #scan} first checks every row in one job (vector width,
 * finite values, integer labels in range) and finds the width and the number of classes; {@link #load} then
 * groups the rows into blocks with one shuffle and caches them. Sparse vectors are densified: a block takes
 * {@code rows × (width + 1) × 8} bytes whatever the sparsity.
 */
public final class FrameBlocks {

    private FrameBlocks() {
    }

    /**
     * What {@link #scan} found: the row count, the vector width, the largest label, what a byte could stand for
     * losing no value ({@link ByteMat.Code}), or null when some value is neither an integer 0–255 nor
     * {@code k/255}, and the index of each input partition's first row (so that {@link #load} numbers the rows
     * without counting them again).
     */
    public record Shape(long rows, int width, int maxLabel, ByteMat.Code bytes, long[] firstRows, Targets targets)
            implements Serializable {
        public Shape(long rows, int width, int maxLabel, ByteMat.Code bytes, long[] firstRows) {
            this(rows, width, maxLabel, bytes, firstRows, null);
        }
    }

    /**
     * Which columns hold what: the features (a vector column), the label (class integers, or with {@code regression}
     * real targets: a number, or a vector or an array of numbers for a model of several outputs), and the rows'
     * weights (a numeric column of finite values ≥ 0, or null for weight 1).
     */
    public record Roles(String features, String label, String weight, boolean regression) implements Serializable {
        /** Class labels, no weights. */
        public static Roles of(String features, String label) {
            return new Roles(features, label, null, false);
        }
    }

    /**
     * A regression's targets as the scan found them: per output, their mean and standard deviation (population),
     * weighted when the rows are, from exact sums (so the same whatever the partitioning).
     */
    public record Targets(double[] mean, double[] std) implements Serializable {
        /** The number of targets a row. */
        public int outputs() {
            return mean.length;
        }
    }

    /** Row {@code r}'s label (column 1) as real targets: a number's one value, a vector's values. */
    static double[] targetsOf(Row r) {
        Object y = r.get(1);
        return y instanceof Vector v ? v.toArray() : new double[]{r.getDouble(1)};
    }

    /** Bit of {@link ByteMat.Code} {@code c} in a scan's mask of the codes every value so far has. */
    private static int bit(ByteMat.Code c) {
        return 1 << c.ordinal();
    }

    /** Every code, INTEGER before PIXEL (one array: {@code values()} copies it at each call). */
    private static final ByteMat.Code[] CODES = ByteMat.Code.values();
    private static final int ALL_CODES = (1 << CODES.length) - 1;

    /** The codes of {@code values}' mask that hold every value. */
    static int codes(double[] values, int mask) {
        for (int j = 0; j < values.length && mask != 0; j++) {
            for (ByteMat.Code c : CODES) {
                if ((mask & bit(c)) != 0 && c.byteOf(values[j]) < 0) {
                    mask &= ~bit(c);
                }
            }
        }
        return mask;
    }

    /** The first code of the mask (INTEGER before PIXEL), or null. */
    static ByteMat.Code code(int mask) {
        for (ByteMat.Code c : CODES) {
            if ((mask & bit(c)) != 0) {
                return c;
            }
        }
        return null;
    }

    /** A bad row: its index in the DataFrame and what is wrong. */
    private record Problem(long row, String what) implements Serializable {
        Problem first(Problem other) {
            return other == null || (this.row <= other.row) ? this : other;
        }
    }

    /**
     * Running state of a scan: counts, width, largest label, the first problem, and for a regression the exact sums
     * {@code Σw, Σw·y_j, Σw·y_j²} of its {@code k} targets a row ({@code 1 + 2k} components; null before the first
     * row).
     */
    private record Scan(long rows, int width, int maxLabel, int codes, Problem problem, ExactSum moments)
            implements Serializable {
        static Scan empty() {
            return new Scan(0, -1, -1, ALL_CODES, null, null);
        }

        /** Targets a row so far, -1 before the first (a regression's). */
        int outputs() {
            return moments == null ? -1 : (moments.size() - 1) / 2;
        }

        /** With its problem's row counted from {@code first} (the partition's first row in the whole). */
        Scan from(long first) {
            return problem == null || problem.row() < 0 ? this : new Scan(rows, width, maxLabel, codes,
                    new Problem(problem.row() + first, problem.what()), moments);
        }

        Scan add(long index, Row r, int classes, Roles roles) {
            Problem p = check(index, r, classes, roles, width, outputs());
            int w = width;
            int max = maxLabel;
            int c = codes;
            ExactSum m = moments;
            if (p == null) {
                Vector v = r.getAs(0);
                w = w < 0 ? v.size() : w;
                if (roles.regression()) {
                    double[] y = targetsOf(r);
                    int k = y.length;
                    double weight = roles.weight() == null ? 1.0 : r.getDouble(2);
                    double[] row = new double[1 + 2 * k];
                    row[0] = weight;
                    for (int j = 0; j < k; j++) {
                        row[1 + j] = weight * y[j];
                        row[1 + k + j] = weight * y[j] * y[j];
                    }
                    m = m == null ? new ExactSum(row.length) : m;
                    try {
                        m.add(row, 0);
                    } catch (io.shardprop.core.exact.ExactSumException e) {
                        p = new Problem(index, "'" + roles.label() + "' is " + Arrays.toString(y).replaceAll("^\\[|]$",
                                "") + ": too large to sum exactly");
                    }
                } else {
                    max = Math.max(max, (int) r.getDouble(1));
                }
                c = FrameBlocks.codes(v.toArray(), c);
            }
            return new Scan(rows + 1, w, max, c, p == null ? problem : p.first(problem), m);
        }

        Scan merge(Scan o) {
            Problem p = problem == null ? o.problem : o.problem == null ? problem : problem.first(o.problem);
            if (width >= 0 && o.width >= 0 && width != o.width && p == null) {
                p = new Problem(-1, "rows of different widths: " + width + " and " + o.width + " values");
            }
            ExactSum m = moments == null ? o.moments == null ? null : new ExactSum(o.moments.size()).merge(o.moments)
                    : new ExactSum(moments.size()).merge(moments);
            if (moments != null && o.moments != null) {
                if (moments.size() != o.moments.size()) {
                    if (p == null) {
                        p = new Problem(-1, "rows of different target counts: " + outputs() + " and " + o.outputs());
                    }
                } else {
                    m.merge(o.moments);
                }
            }
            return new Scan(rows + o.rows, width >= 0 ? width : o.width, Math.max(maxLabel, o.maxLabel),
                    codes & o.codes, p, m);
        }

        /** The targets' mean and standard deviation (weighted) per output, from {@link #moments}. */
        Targets targets() {
            int k = outputs();
            double w = moments.toDouble(0);
            double[] mean = new double[k], std = new double[k];
            for (int j = 0; j < k; j++) {
                mean[j] = moments.toDouble(1 + j) / w;
                std[j] = Math.sqrt(Math.max(0.0, moments.toDouble(1 + k + j) / w - mean[j] * mean[j]));
            }
            return new Targets(mean, std);
        }
    }

    private static Problem check(long index, Row r, int classes, Roles roles, int width, int outputs) {
        String features = roles.features();
        String label = roles.label();
        if (r.isNullAt(0)) {
            return new Problem(index, "column '" + features + "' is null");
        }
        if (r.isNullAt(1)) {
            return new Problem(index, "column '" + label + "' is null");
        }
        Vector v = r.getAs(0);
        if (width >= 0 && v.size() != width) {
            return new Problem(index, "'" + features + "' has " + v.size() + " values, earlier rows have " + width);
        }
        if (v.size() == 0) {
            return new Problem(index, "'" + features + "' is empty");
        }
        double[] values = v.toArray();
        for (int j = 0; j < values.length; j++) {
            if (!Double.isFinite(values[j])) {
                return new Problem(index, "'" + features + "'[" + j + "] is " + values[j]);
            }
        }
        if (roles.weight() != null) {
            if (r.isNullAt(2)) {
                return new Problem(index, "column '" + roles.weight() + "' is null");
            }
            double w = r.getDouble(2);
            if (!Double.isFinite(w) || w < 0) {
                return new Problem(index, "weight '" + roles.weight() + "' is " + w + ": weights must be finite and ≥ 0");
            }
        }
        if (roles.regression()) {
            double[] t = targetsOf(r);
            if (t.length == 0) {
                return new Problem(index, "'" + label + "' is empty");
            }
            if (outputs >= 0 && t.length != outputs) {
                return new Problem(index, "'" + label + "' has " + t.length + " targets, earlier rows have " + outputs);
            }
            for (int j = 0; j < t.length; j++) {
                if (!Double.isFinite(t[j])) {
                    return new Problem(index, "'" + label + "'" + (r.get(1) instanceof Vector ? "[" + j + "]" : "")
                            + " is " + t[j] + ", not a finite number");
                }
            }
            return null;
        }
        double y = r.getDouble(1);
        if (y != Math.rint(y) || y < 0 || (classes > 0 && y >= classes) || y > 65535) {
            return new Problem(index, "'" + label + "' is " + y + ", not an integer in 0.."
                    + (classes > 0 ? classes - 1 : "65535"));
        }
        return null;
    }

    /**
     * The features and label columns, the label cast to double (a regression's vector label as it is, an array of
     * numbers as a vector), then the weight column if any, cast to double.
     */
    static JavaRDD<Row> select(Dataset<Row> df, Roles roles) {
        Column label = label(df, roles);
        return roles.weight() == null
                ? df.select(functions.col(roles.features()), label).javaRDD()
                : df.select(functions.col(roles.features()), label, functions.col(roles.weight()).cast("double"))
                .javaRDD();
    }

    /** The label column as {@link #select} reads it. */
    private static Column label(Dataset<Row> df, Roles roles) {
        Column y = functions.col(roles.label());
        if (roles.regression()) {
            DataType t = df.schema().apply(roles.label()).dataType();
            if (t instanceof VectorUDT) {
                return y;
            }
            if (t instanceof ArrayType) {
                return org.apache.spark.ml.functions.array_to_vector(y.cast("array<double>")).alias(roles.label());
            }
        }
        return y.cast("double");
    }

    /**
     * Checks every row and measures the data in one job.
     *
     * @param source  what the rows are, to start messages (a file, or "the DataFrame")
     * @param classes the class count the labels must be below, or 0 to find it
     * @throws MalformedFileException naming the source, the row and the problem
     */
    public static Shape scan(Dataset<Row> df, String features, String label, int classes, String source) {
        return scan(df, Roles.of(features, label), classes, source);
    }

    /**
     * As {@link #scan(Dataset, String, String, int, String)} for the columns of {@code roles}: with a weight column,
     * every weight is checked (finite, ≥ 0); with a regression, every target (finite) and their mean and spread
     * measured ({@link Shape#targets()}).
     */
    public static Shape scan(Dataset<Row> df, Roles roles, int classes, String source) {
        DataType labelType = df.schema().apply(roles.label()).dataType();
        if (!roles.regression() && (labelType instanceof VectorUDT || labelType instanceof ArrayType)) {
            throw new MalformedFileException(source, "column '" + roles.label() + "' is " + labelType.simpleString()
                    + ": class labels are numbers; several targets a row are a regression's (train --task regression, "
                    + "ShardPropRegressor)");
        }
        // one pass: each partition checks its rows, numbered within it; the partitions' counts (collect keeps
        // their order) number them all
        List<Scan> parts = select(df, roles).mapPartitions(it -> {
            Scan acc = Scan.empty();
            for (long i = 0; it.hasNext(); i++) {
                acc = acc.add(i, it.next(), classes, roles);
            }
            return List.of(acc).iterator();
        }, true).collect();
        long[] firstRows = new long[parts.size()];
        Scan s = Scan.empty();
        long first = 0;
        for (int i = 0; i < parts.size(); i++) {
            firstRows[i] = first;
            s = s.merge(parts.get(i).from(first));
            first += parts.get(i).rows();
        }
        if (s.problem() != null) {
            throw new MalformedFileException(source, (s.problem().row() >= 0 ? "row " + s.problem().row() + ": " : "")
                    + s.problem().what());
        }
        if (s.rows() == 0) {
            throw new MalformedFileException(source, "no rows");
        }
        if (s.rows() > Integer.MAX_VALUE) {
            throw new MalformedFileException(source, s.rows() + " rows: at most " + Integer.MAX_VALUE);
        }
        return new Shape(s.rows(), s.width(), s.maxLabel(), code(s.codes()), firstRows,
                roles.regression() ? s.targets() : null);
    }

    /**
     * The rows with their index in the DataFrame's order, from the partitions' first rows that {@link #scan}
     * found (what Spark's {@code zipWithIndex} gives, without its counting job).
     *
     * @throws IllegalStateException when the rows are not partitioned as they were when scanned
     */
    static JavaRDD<Tuple2<Row, Long>> indexed(Dataset<Row> df, Roles roles, Shape shape) {
        JavaRDD<Row> rows = select(df, roles);
        long[] firstRows = shape.firstRows();
        if (rows.getNumPartitions() != firstRows.length) {
            throw new IllegalStateException("the rows have " + rows.getNumPartitions() + " partitions, "
                    + firstRows.length + " when they were checked: they changed since");
        }
        return rows.mapPartitionsWithIndex((p, it) -> new java.util.Iterator<Tuple2<Row, Long>>() {
            private long next = firstRows[p];

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Tuple2<Row, Long> next() {
                return new Tuple2<>(it.next(), next++);
            }
        }, true);
    }

    /**
     * The rows as blocks of {@code blockSize}, spread over {@code partitions} (consecutive blocks together),
     * or, with {@code replicas > 0}, in whole replica shards (block {@code b} on replica {@code b mod replicas},
     * at most {@code replicas} partitions) as local steps need; persisted in memory (spilling to disk) but not
     * computed yet.
     *
     * @param shape what {@link #scan} found (the rows are assumed unchanged since)
     */
    public static JavaRDD<Block> load(Dataset<Row> df, String features, String label, Shape shape, int blockSize,
                                      int partitions, int replicas, Precision precision, String name) {
        return load(df, features, label, shape, blockSize, partitions, replicas, precision, null, name);
    }

    /**
     * As {@link #load(Dataset, String, String, Shape, int, int, int, Precision, String)}, the values kept as bytes
     * standing for {@code bytes} ({@link ByteMat}, expanded to {@code precision} in the step) unless it is null;
     * they are bytes in the shuffle too.
     */
    public static JavaRDD<Block> load(Dataset<Row> df, String features, String label, Shape shape, int blockSize,
                                      int partitions, int replicas, Precision precision, ByteMat.Code bytes,
                                      String name) {
        return load(df, Roles.of(features, label), shape, blockSize, partitions, replicas, precision, bytes, null, name);
    }

    /**
     * As {@link #load(Dataset, String, String, Shape, int, int, int, Precision, ByteMat.Code, String)} for the columns
     * of {@code roles}: the blocks carry the rows' weights if there is a weight column, and a regression's targets
     * as {@code (y − mean) / std} of {@code scaling}, per output (as they are when it is null).
     */
    public static JavaRDD<Block> load(Dataset<Row> df, Roles roles, Shape shape, int blockSize, int partitions,
                                      int replicas, Precision precision, ByteMat.Code bytes, TargetScaling scaling,
                                      String name) {
        BlockMemory.requireFits(Math.min(blockSize, shape.rows()), shape.width(), bytes != null ? 1 : Double.BYTES,
                bytes != null ? precision.bytes() : 0, BlockMemory.executorHeap(df.sparkSession().sparkContext()));
        int blocks = (int) ((shape.rows() + blockSize - 1) / blockSize);
        int slices = replicas > 0 ? Math.max(1, Math.min(partitions, replicas)) : Math.max(1, Math.min(partitions, blocks));
        int width = shape.width();
        boolean weighted = roles.weight() != null;
        boolean regression = roles.regression();
        int outputs = regression ? shape.targets().outputs() : 1;
        TargetScaling none = TargetScaling.of(new double[outputs], new double[outputs]);
        double[] shift = (scaling == null ? none : scaling).mean(), scale = (scaling == null ? none : scaling).std();
        JavaRDD<Block> out = indexed(df, roles, shape)
                .mapPartitionsToPair(rows -> pieces(rows, blockSize, width, bytes, weighted, outputs).iterator())
                .groupByKey(new BlockPartitioner(blocks, slices, replicas))
                .mapPartitions(groups -> {  // in block order within each partition, as Blocks makes them
                    List<Tuple2<Integer, Iterable<Piece>>> mine = new ArrayList<>();
                    groups.forEachRemaining(mine::add);
                    mine.sort((a, b) -> Integer.compare(a._1, b._1));
                    List<Block> made = new ArrayList<>(mine.size());
                    for (Tuple2<Integer, Iterable<Piece>> g : mine) {
                        made.add(block(g._1, g._2, blockSize, width, precision, bytes, regression, outputs, shift, scale));
                    }
                    return made.iterator();
                });
        out.setName(name + " blocks (" + shape.rows() + " rows of " + width + " values, " + blockSize + " per block"
                + (replicas > 0 ? ", " + replicas + " replicas" : "") + ", "
                + (bytes != null ? "uint8 cache, " + precision.id() + " products" : precision.id()) + ")");
        return out.persist(StorageLevel.MEMORY_AND_DISK());
    }

    /**
     * The rows of one input partition that fall in one block, packed: what the shuffle moves (one array per
     * piece instead of an object per row; a block is one piece, or two where a partition boundary cuts it). The
     * values are in {@code values}, or as bytes in {@code bytes} (the other is null).
     */
    record Piece(long first, int rows, double[] values, byte[] bytes, double[] labels, double[] weights)
            implements Serializable {
    }

    /** A partition's rows (in order, with their global indices) as pieces keyed by block. */
    static List<Tuple2<Integer, Piece>> pieces(java.util.Iterator<Tuple2<Row, Long>> rows, int blockSize, int width,
                                               ByteMat.Code code, boolean weighted, int outputs) {
        List<Tuple2<Integer, Piece>> out = new ArrayList<>();
        int block = -1;
        long first = 0;
        double[] values = null;
        byte[] bytes = null;
        double[] labels = new double[0];
        double[] weights = null;
        int n = 0;
        while (rows.hasNext()) {
            Tuple2<Row, Long> t = rows.next();
            int b = (int) (t._2 / blockSize);
            if (b != block) {
                if (n > 0) {
                    out.add(new Tuple2<>(block, piece(first, n, width, values, bytes, labels, weights, outputs)));
                }
                block = b;
                first = t._2;
                int room = (int) Math.min(blockSize, blockSize - t._2 % blockSize);
                values = code == null ? new double[room * width] : null;
                bytes = code == null ? null : new byte[room * width];
                labels = new double[room * outputs];
                weights = weighted ? new double[room] : null;
                n = 0;
            }
            double[] x = ((Vector) t._1.getAs(0)).toArray();
            if (code == null) {
                System.arraycopy(x, 0, values, n * width, width);
            } else {
                for (int j = 0; j < width; j++) {
                    int k = code.byteOf(x[j]);
                    if (k < 0) {
                        throw new IllegalStateException("row " + t._2 + ": '" + x[j] + "' is not a byte's value: the "
                                + "rows changed since they were checked");
                    }
                    bytes[n * width + j] = (byte) k;
                }
            }
            if (outputs == 1 && !(t._1.get(1) instanceof Vector)) {
                labels[n] = t._1.getDouble(1);
            } else {
                System.arraycopy(targetsOf(t._1), 0, labels, n * outputs, outputs);
            }
            if (weights != null) {
                weights[n] = t._1.getDouble(2);
            }
            n++;
        }
        if (n > 0) {
            out.add(new Tuple2<>(block, piece(first, n, width, values, bytes, labels, weights, outputs)));
        }
        return out;
    }

    private static Piece piece(long first, int n, int width, double[] values, byte[] bytes, double[] labels,
                               double[] weights, int outputs) {
        return new Piece(first, n, values == null ? null : Arrays.copyOf(values, n * width),
                bytes == null ? null : Arrays.copyOf(bytes, n * width), Arrays.copyOf(labels, n * outputs),
                weights == null ? null : Arrays.copyOf(weights, n));
    }

    private static Block block(int index, Iterable<Piece> pieces, int blockSize, int width, Precision precision,
                               ByteMat.Code code, boolean regression, int outputs, double[] shift, double[] scale) {
        List<Piece> list = new ArrayList<>();
        pieces.forEach(list::add);
        list.sort((a, b) -> Long.compare(a.first(), b.first()));
        int rows = list.stream().mapToInt(Piece::rows).sum();
        boolean one = list.size() == 1;
        double[] x = code != null ? null : one ? list.get(0).values() : new double[rows * width];
        byte[] xb = code == null ? null : one ? list.get(0).bytes() : new byte[rows * width];
        double[] y = one ? list.get(0).labels() : new double[rows * outputs];
        boolean weighted = list.get(0).weights() != null;
        double[] w = one ? list.get(0).weights() : weighted ? new double[rows] : null;
        if (!one) {
            int at = 0;
            for (Piece p : list) {
                if (code == null) {
                    System.arraycopy(p.values(), 0, x, at * width, p.rows() * width);
                } else {
                    System.arraycopy(p.bytes(), 0, xb, at * width, p.rows() * width);
                }
                System.arraycopy(p.labels(), 0, y, at * outputs, p.rows() * outputs);
                if (weighted) {
                    System.arraycopy(p.weights(), 0, w, at, p.rows());
                }
                at += p.rows();
            }
        }
        io.shardprop.core.linalg.Inputs inputs = code == null ? Batch.inputs(x, rows, width, precision)
                : new ByteMat(xb, 0, rows, width, code, precision);
        Batch data;
        if (regression) {
            double[] t = new double[rows * outputs];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < outputs; j++) {
                    t[i * outputs + j] = (y[i * outputs + j] - shift[j]) / scale[j];
                }
            }
            data = Batch.regression(inputs, t);
        } else {
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = (int) y[i];
            }
            data = new Batch(inputs, labels);
        }
        return new Block(index, index * blockSize, data.withWeights(w));
    }

    /** Block {@code b} to its partition: consecutive runs of blocks, or its replica's shard. */
    static final class BlockPartitioner extends Partitioner {
        private final int blocks;
        private final int slices;
        private final int replicas;

        BlockPartitioner(int blocks, int slices, int replicas) {
            this.blocks = blocks;
            this.slices = slices;
            this.replicas = replicas;
        }

        @Override
        public int numPartitions() {
            return slices;
        }

        @Override
        public int getPartition(Object key) {
            int b = (Integer) key;
            if (replicas > 0) {
                return (int) ((long) LocalSteps.replicaOf(b, replicas) * slices / replicas);
            }
            return (int) ((long) b * slices / blocks);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BlockPartitioner p && p.blocks == blocks && p.slices == slices && p.replicas == replicas;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(blocks, slices, replicas);
        }
    }
}
