package io.shardprop.job.report;

import io.shardprop.core.train.EpochMetrics;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The three pictures of a run, each written as PNG bytes to a caller's stream (the stream is flushed,
 * not closed). All drawing is headless: the first use sets {@code java.awt.headless=true} unless the
 * JVM was started with a value for it.
 */
public final class Plots {

    /** Size of {@link #curves}: two panels side by side. */
    public static final int CURVES_WIDTH = 1200, CURVES_HEIGHT = 500;
    /** Size of {@link #confusion}. */
    public static final int CONFUSION_WIDTH = 700, CONFUSION_HEIGHT = 650;
    /** At most this many images in {@link #mistakes}, {@link MistakeGrid#COLUMNS} per row. */
    public static final int MAX_MISTAKES = MistakeGrid.MAX;

    static {
        // A Spark driver may have a DISPLAY it cannot reach; charts never need one.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Plots() {
    }

    /**
     * Draws loss per epoch (left) and accuracy per epoch (right), train and test, {@value #CURVES_WIDTH} ×
     * {@value #CURVES_HEIGHT} px. NaN values (test not measured) are left out. The loss axis is
     * logarithmic when the positive losses span more than two decades, linear otherwise.
     *
     * @param epochs the rows of {@code metrics.csv}, in epoch order (not modified; may be empty)
     * @param out    receives the PNG (not closed)
     */
    public static void curves(List<EpochMetrics> epochs, OutputStream out) throws IOException {
        Png.write(CurvesChart.draw(epochs, CURVES_WIDTH, CURVES_HEIGHT), out);
    }

    /**
     * Draws a {@code k × k} confusion matrix as a heat map, {@value #CONFUSION_WIDTH} ×
     * {@value #CONFUSION_HEIGHT} px: rows are true labels (top to bottom), columns predicted labels,
     * each cell coloured by its fraction of the row and (up to 20 classes) labelled with its count.
     * The title gives the overall accuracy (trace / total).
     *
     * @param counts {@code counts[true][predicted]}, square, non-negative (not modified)
     * @param out    receives the PNG (not closed)
     */
    public static void confusion(long[][] counts, OutputStream out) throws IOException {
        Png.write(ConfusionChart.draw(counts, CONFUSION_WIDTH, CONFUSION_HEIGHT), out);
    }

    /**
     * Draws up to {@value #MAX_MISTAKES} misclassified images, most confident first, each scaled up and
     * captioned {@code true 7 → pred 2} and {@code p=0.93}; an empty list draws "no mistakes". The width
     * is fixed and the height grows with the number of rows: see {@link #mistakesSize(int)}.
     *
     * @param mistakes the candidates, in any order (not modified)
     * @param out      receives the PNG (not closed)
     */
    public static void mistakes(List<Mistake> mistakes, OutputStream out) throws IOException {
        mistakes(mistakes, mistakes.size(), out);
    }

    /**
     * As {@link #mistakes(List, OutputStream)}, with the title counting {@code total} mistakes in all
     * (for a caller that passes only the worst ones).
     *
     * @param total number of misclassified images in the whole data set, at least {@code mistakes.size()}
     */
    public static void mistakes(List<Mistake> mistakes, long total, OutputStream out) throws IOException {
        if (total < mistakes.size()) {
            throw new IllegalArgumentException("mistakes: total " + total + " is less than the "
                    + mistakes.size() + " mistakes given");
        }
        Png.write(MistakeGrid.draw(mistakes, total), out);
    }

    /** Width and height in pixels of {@link #mistakes} for {@code count} mistakes: {@code {width, height}}. */
    public static int[] mistakesSize(int count) {
        return MistakeGrid.size(count);
    }
}
