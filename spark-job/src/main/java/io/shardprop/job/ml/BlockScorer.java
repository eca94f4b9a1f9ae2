package io.shardprop.job.ml;

import io.shardprop.core.linalg.Mat;
import io.shardprop.job.model.Scorer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The rows of one partition with three values appended, the log-probabilities (Spark ML's raw prediction),
 * the predicted label (double) and the probability vector, computed {@value #BLOCK_ROWS} rows at a time: the features of a block are copied into one
 * {@code x [rows x inputs]} (the last column 1), scored with one forward pass, and emitted in order.
 * Memory stays bounded by one block whatever the partition size. A regression model's rows get one value appended
 * instead: the prediction (double; the first output's, with several outputs a vector of them).
 */
final class BlockScorer implements Iterator<Row> {

    static final int BLOCK_ROWS = 1024;

    private final Iterator<Row> input;
    private final Scorer scorer;
    private final int featuresIndex;
    private final String featuresName;
    private final Mat x;
    private final List<Row> block = new ArrayList<>(BLOCK_ROWS);
    private Scorer.Scores scores;
    private int next;

    BlockScorer(Iterator<Row> input, Scorer scorer, int featuresIndex, String featuresName) {
        this.input = input;
        this.scorer = scorer;
        this.featuresIndex = featuresIndex;
        this.featuresName = featuresName;
        this.x = Mat.zeros(BLOCK_ROWS, scorer.inputs());
    }

    @Override
    public boolean hasNext() {
        if (next < block.size()) {
            return true;
        }
        fill();
        return !block.isEmpty();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int i = next++;
        Row row = block.get(i);
        Object[] values = new Object[row.size() + (scores.values() != null ? 1 : 3)];
        for (int c = 0; c < row.size(); c++) {
            values[c] = row.get(c);
        }
        if (scores.values() != null) {
            Mat y = scores.values();
            if (y.cols() == 1) {
                values[row.size()] = y.get(i, 0);
            } else {
                double[] out = new double[y.cols()];
                for (int j = 0; j < out.length; j++) {
                    out[j] = y.get(i, j);
                }
                values[row.size()] = Vectors.dense(out);
            }
            return RowFactory.create(values);
        }
        int k = scores.probabilities().cols();
        double[] p = new double[k];
        double[] raw = new double[k];
        for (int j = 0; j < k; j++) {
            p[j] = scores.probabilities().get(i, j);
            raw[j] = scores.logProbabilities().get(i, j);
        }
        values[row.size()] = Vectors.dense(raw);
        values[row.size() + 1] = (double) scores.labels()[i];
        values[row.size() + 2] = Vectors.dense(p);
        return RowFactory.create(values);
    }

    /** Reads and scores the next block of rows. */
    private void fill() {
        block.clear();
        next = 0;
        int pixels = scorer.inputs() - 1;
        while (block.size() < BLOCK_ROWS && input.hasNext()) {
            Row row = input.next();
            if (row.isNullAt(featuresIndex)) {
                throw new IllegalArgumentException("ShardPropModel: '" + featuresName + "' is null");
            }
            Vector v = row.getAs(featuresIndex);
            if (v.size() != pixels) {
                throw new IllegalArgumentException("ShardPropModel: '" + featuresName + "' has " + v.size()
                        + " values, the model expects " + pixels);
            }
            if (!(v instanceof org.apache.spark.ml.linalg.DenseVector)) {
                v = v.toDense();
            }
            int r = block.size();
            for (int j = 0; j < pixels; j++) {
                x.set(r, j, v.apply(j));
            }
            x.set(r, pixels, 1.0);
            block.add(row);
        }
        if (!block.isEmpty()) {
            scores = scorer.score(x.topRows(block.size()));
        }
    }
}
