package io.shardprop.job.report;

import io.shardprop.core.train.EpochMetrics;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.text.DecimalFormat;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** {@code curves.png}: two JFreeChart panels, loss and accuracy per epoch, drawn onto one image. */
final class CurvesChart {

    /** Markers on the points up to this many epochs; lines only beyond. */
    private static final int MARKERS_UP_TO = 30;

    private CurvesChart() {
    }

    static BufferedImage draw(List<EpochMetrics> epochs, int width, int height) {
        BufferedImage img = Png.canvas(width, height);
        Graphics2D g = Png.graphics(img);
        int half = width / 2;
        loss(epochs).draw(g, new Rectangle2D.Double(0, 0, half, height));
        accuracy(epochs).draw(g, new Rectangle2D.Double(half, 0, width - half, height));
        g.dispose();
        return img;
    }

    private static JFreeChart loss(List<EpochMetrics> epochs) {
        XYSeriesCollection data = series(epochs, EpochMetrics::trainLoss, EpochMetrics::testLoss);
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (EpochMetrics e : epochs) {
            for (double v : new double[] {e.trainLoss(), e.testLoss()}) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        ValueAxis y;
        if (hi / lo > 100) {
            LogAxis log = new LogAxis("loss (log scale)");
            // Ticks at whole decades (the unit is in exponent space), labelled as plain numbers while short.
            log.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            log.setNumberFormatOverride(new DecimalFormat(lo >= 1e-4 && hi < 1e6 ? "0.####" : "0E0"));
            log.setMinorTickMarksVisible(true);
            log.setSmallestValue(lo / 2);
            y = log;
        } else {
            NumberAxis lin = new NumberAxis("loss");
            lin.setAutoRangeIncludesZero(false);
            y = lin;
        }
        return chart("Loss per epoch", summary("loss", epochs, EpochMetrics::trainLoss, EpochMetrics::testLoss, "0.####"),
                data, y);
    }

    private static JFreeChart accuracy(List<EpochMetrics> epochs) {
        XYSeriesCollection data = series(epochs, EpochMetrics::trainAccuracy, EpochMetrics::testAccuracy);
        NumberAxis y = new NumberAxis("accuracy");
        double lo = 1, hi = 0;
        for (EpochMetrics e : epochs) {
            for (double v : new double[] {e.trainAccuracy(), e.testAccuracy()}) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            y.setRange(0, 1);
        } else {
            // Zoom to the tenths around the data, so 0.97–0.99 is not a flat line at the top of [0, 1].
            double from = Math.max(0, Math.floor((lo - 0.02) * 10) / 10);
            double to = Math.min(1, Math.ceil((hi + 0.02) * 10) / 10);
            y.setRange(from, Math.max(to, from + 0.1));
            if (y.getRange().getLength() >= 0.5) {
                y.setTickUnit(new NumberTickUnit(0.1, new DecimalFormat("0.0")));
            }
        }
        return chart("Accuracy per epoch",
                summary("accuracy", epochs, EpochMetrics::trainAccuracy, EpochMetrics::testAccuracy, "0.0000"), data, y);
    }

    private static XYSeriesCollection series(List<EpochMetrics> epochs, ToDoubleFunction<EpochMetrics> train,
                                             ToDoubleFunction<EpochMetrics> test) {
        XYSeries tr = new XYSeries("train", false, true);
        XYSeries te = new XYSeries("test", false, true);
        for (EpochMetrics e : epochs) {
            add(tr, e.epoch(), train.applyAsDouble(e));
            add(te, e.epoch(), test.applyAsDouble(e));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(tr);
        data.addSeries(te);
        return data;
    }

    private static void add(XYSeries s, int epoch, double v) {
        if (Double.isFinite(v)) {
            s.add(epoch, v);
        }
    }

    /** "final: train 3.4112, test 3.3514 (epoch 50)" from the last finite values. */
    private static String summary(String what, List<EpochMetrics> epochs, ToDoubleFunction<EpochMetrics> train,
                                  ToDoubleFunction<EpochMetrics> test, String pattern) {
        DecimalFormat f = new DecimalFormat(pattern);
        String tr = last(epochs, train, f), te = last(epochs, test, f);
        if (tr == null && te == null) {
            return "no " + what + " measured yet";
        }
        StringBuilder s = new StringBuilder("last ").append(what).append(": ");
        if (tr != null) {
            s.append("train ").append(tr);
        }
        if (te != null) {
            s.append(tr != null ? ", " : "").append("test ").append(te);
        }
        return s.toString();
    }

    private static String last(List<EpochMetrics> epochs, ToDoubleFunction<EpochMetrics> f, DecimalFormat fmt) {
        for (int i = epochs.size() - 1; i >= 0; i--) {
            double v = f.applyAsDouble(epochs.get(i));
            if (Double.isFinite(v)) {
                return fmt.format(v);
            }
        }
        return null;
    }

    private static JFreeChart chart(String title, String subtitle, XYSeriesCollection data, ValueAxis y) {
        NumberAxis x = new NumberAxis("epoch");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(false);
        x.setAutoRangeMinimumSize(1);
        for (ValueAxis a : new ValueAxis[] {x, y}) {
            a.setLabelFont(Png.font(Font.PLAIN, 14));
            a.setTickLabelFont(Png.font(Font.PLAIN, 12));
            a.setLabelPaint(Png.INK);
            a.setTickLabelPaint(Png.INK);
        }
        int points = Math.max(data.getSeries(0).getItemCount(), data.getSeries(1).getItemCount());
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, points <= MARKERS_UP_TO);
        Color[] paints = {Png.TRAIN, Png.TEST};
        for (int s = 0; s < 2; s++) {
            r.setSeriesPaint(s, paints[s]);
            r.setSeriesStroke(s, new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            r.setSeriesShape(s, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Png.GRID);
        plot.setRangeGridlinePaint(Png.GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlinePaint(Png.MUTED);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setNoDataMessage("no epochs yet");
        plot.setNoDataMessageFont(Png.font(Font.PLAIN, 16));
        plot.setNoDataMessagePaint(Png.MUTED);

        JFreeChart chart = Png.chart(title, plot, true, new RectangleInsets(10, 12, 8, 18), subtitle, 13,
                new RectangleInsets(2, 0, 6, 0));
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setItemFont(Png.font(Font.PLAIN, 13));
        legend.setItemPaint(Png.INK);
        legend.setFrame(BlockBorder.NONE);
        legend.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
