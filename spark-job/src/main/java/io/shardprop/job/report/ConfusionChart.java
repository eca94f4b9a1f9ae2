package io.shardprop.job.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.text.DecimalFormat;
import java.util.Locale;

/**
 * {@code confusion.png}: a JFreeChart block plot, cell {@code (predicted, true)} coloured by
 * {@code counts[true][predicted] / Σ counts[true]} (0 for a row with no samples).
 */
final class ConfusionChart {

    /** Counts are written into the cells up to this many classes; beyond, the colours alone. */
    static final int LABELLED_UP_TO = 20;

    private ConfusionChart() {
    }

    static BufferedImage draw(long[][] counts, int width, int height) {
        int k = check(counts);
        double[] xs = new double[k * k], ys = new double[k * k], zs = new double[k * k];
        long trace = 0, total = 0;
        for (int t = 0; t < k; t++) {
            long row = 0;
            for (long c : counts[t]) {
                row += c;
            }
            total += row;
            trace += counts[t][t];
            for (int p = 0; p < k; p++) {
                int i = t * k + p;
                xs[i] = p;
                ys[i] = t;
                zs[i] = row == 0 ? 0 : (double) counts[t][p] / row;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("fraction of row", new double[][] {xs, ys, zs});

        Blues scale = new Blues();
        XYBlockRenderer r = new XYBlockRenderer();
        r.setBlockAnchor(RectangleAnchor.CENTER);
        r.setPaintScale(scale);
        NumberAxis x = axis("predicted", k);
        NumberAxis y = axis("true", k);
        y.setInverted(true);  // row 0 at the top, as the matrix is printed
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setDomainAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(Png.MUTED);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        if (k <= LABELLED_UP_TO) {
            float size = k <= 10 ? 14 : k <= 15 ? 11 : 9;
            for (int t = 0; t < k; t++) {
                for (int p = 0; p < k; p++) {
                    XYTextAnnotation a = new XYTextAnnotation(Long.toString(counts[t][p]), p, t);
                    a.setTextAnchor(TextAnchor.CENTER);
                    boolean dark = zs[t * k + p] > 0.45;
                    a.setFont(Png.font(p == t ? Font.BOLD : Font.PLAIN, size));
                    a.setPaint(dark ? Color.WHITE : counts[t][p] == 0 ? Png.GRID.darker() : Png.INK);
                    r.addAnnotation(a);
                }
            }
        }

        String acc = total == 0 ? "no samples"
                : String.format(Locale.ROOT, "accuracy %.2f%%  (%,d of %,d)", 100.0 * trace / total, trace, total);
        JFreeChart chart = Png.chart("Confusion matrix", plot, false, new RectangleInsets(10, 10, 10, 10), acc, 14,
                new RectangleInsets(2, 0, 8, 0));

        NumberAxis barAxis = new NumberAxis("fraction of the true label's samples");
        barAxis.setRange(0, 1);
        barAxis.setTickUnit(new NumberTickUnit(0.2, new DecimalFormat("0.0")));
        barAxis.setLabelFont(Png.font(Font.PLAIN, 12));
        barAxis.setTickLabelFont(Png.font(Font.PLAIN, 11));
        barAxis.setLabelPaint(Png.MUTED);
        PaintScaleLegend bar = new PaintScaleLegend(scale, barAxis);
        bar.setPosition(RectangleEdge.RIGHT);
        bar.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        bar.setStripWidth(14);
        bar.setSubdivisionCount(100);
        bar.setStripOutlineVisible(true);
        bar.setStripOutlinePaint(Png.MUTED);
        bar.setFrame(BlockBorder.NONE);
        bar.setBackgroundPaint(Color.WHITE);
        bar.setMargin(new RectangleInsets(30, 12, 44, 0));
        chart.addSubtitle(bar);

        BufferedImage img = Png.canvas(width, height);
        Graphics2D g = Png.graphics(img);
        chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        g.dispose();
        return img;
    }

    private static int check(long[][] counts) {
        if (counts == null || counts.length == 0) {
            throw new IllegalArgumentException("confusion: the matrix is empty");
        }
        int k = counts.length;
        for (int t = 0; t < k; t++) {
            if (counts[t] == null || counts[t].length != k) {
                throw new IllegalArgumentException("confusion: the matrix has " + k + " rows but row " + t + " has "
                        + (counts[t] == null ? "none" : counts[t].length) + " columns");
            }
            for (int p = 0; p < k; p++) {
                if (counts[t][p] < 0) {
                    throw new IllegalArgumentException("confusion: count [" + t + "][" + p + "] is " + counts[t][p]);
                }
            }
        }
        return k;
    }

    private static NumberAxis axis(String label, int k) {
        NumberAxis a = new NumberAxis(label);
        a.setRange(-0.5, k - 0.5);
        if (k <= LABELLED_UP_TO) {
            a.setTickUnit(new NumberTickUnit(1, new DecimalFormat("0")));
        } else {
            a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        a.setLabelFont(Png.font(Font.PLAIN, 14));
        a.setTickLabelFont(Png.font(Font.PLAIN, 13));
        a.setLabelPaint(Png.INK);
        a.setTickLabelPaint(Png.INK);
        a.setTickMarksVisible(false);
        return a;
    }

    /** White to dark blue over [0, 1], interpolated through ColorBrewer's "Blues". */
    private static final class Blues implements PaintScale, Serializable {
        private static final long serialVersionUID = 1L;
        private static final int[] STOPS = {0xFFFFFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6, 0x2171B5,
                0x08519C, 0x08306B};

        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            double v = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value)) * (STOPS.length - 1);
            int i = Math.min((int) v, STOPS.length - 2);
            double f = v - i;
            return new Color(mix(STOPS[i] >> 16, STOPS[i + 1] >> 16, f), mix(STOPS[i] >> 8, STOPS[i + 1] >> 8, f),
                    mix(STOPS[i], STOPS[i + 1], f));
        }

        private static int mix(int a, int b, double f) {
            return (int) Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
        }
    }
}
