package io.shardprop.job.report;

import io.shardprop.core.train.EpochMetrics;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
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
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@code curves.png}: two JFreeChart panels drawn onto one image: the loss per epoch (train, test, validation) and
 * either the accuracy per epoch (train, test, validation) or, for a regression, R² per epoch (test, validation). A
 * run with early stopping marks its best epoch on both.
 */
final class CurvesChart {

    /** Markers on the points up to this many epochs; lines only beyond. */
    private static final int MARKERS_UP_TO = 30;

    /** One line of a panel: its legend name, its values per epoch (NaN: not measured), its colour. */
    private record Curve(String name, ToDoubleFunction<EpochMetrics> value, Color paint) {
    }

    private static final Curve TRAIN_LOSS = new Curve("train", EpochMetrics::trainLoss, Png.TRAIN);
    private static final Curve TEST_LOSS = new Curve("test", EpochMetrics::testLoss, Png.TEST);
    private static final Curve VAL_LOSS = new Curve("validation", m -> m.get("val_loss"), Png.VALIDATION);
    private static final Curve TRAIN_ACCURACY = new Curve("train", EpochMetrics::trainAccuracy, Png.TRAIN);
    private static final Curve TEST_ACCURACY = new Curve("test", EpochMetrics::testAccuracy, Png.TEST);
    private static final Curve VAL_ACCURACY = new Curve("validation", m -> m.get("val_accuracy"), Png.VALIDATION);
    private static final Curve TEST_R2 = new Curve("test", m -> m.get("test_r2"), Png.TEST);
    private static final Curve VAL_R2 = new Curve("validation", m -> m.get("val_r2"), Png.VALIDATION);

    private CurvesChart() {
    }

    static BufferedImage draw(List<EpochMetrics> epochs, int width, int height) {
        BufferedImage img = Png.canvas(width, height);
        Graphics2D g = Png.graphics(img);
        int half = width / 2;
        int best = bestEpoch(epochs);
        loss(epochs, best).draw(g, new Rectangle2D.Double(0, 0, half, height));
        (measured(epochs, List.of(TEST_R2, VAL_R2)) ? r2(epochs, best) : accuracy(epochs, best))
                .draw(g, new Rectangle2D.Double(half, 0, width - half, height));
        g.dispose();
        return img;
    }

    /** The last row's {@code best_epoch} (early stopping), 0 when none. */
    private static int bestEpoch(List<EpochMetrics> epochs) {
        if (epochs.isEmpty()) {
            return 0;
        }
        double b = epochs.get(epochs.size() - 1).get("best_epoch");
        return Double.isFinite(b) ? (int) b : 0;
    }

    /** Whether any epoch has a finite value on any of these curves. */
    private static boolean measured(List<EpochMetrics> epochs, List<Curve> curves) {
        for (EpochMetrics e : epochs) {
            for (Curve c : curves) {
                if (Double.isFinite(c.value().applyAsDouble(e))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The curves that have a value somewhere; the first ones of {@code always} even if none. */
    private static List<Curve> present(List<EpochMetrics> epochs, List<Curve> always, List<Curve> optional) {
        List<Curve> out = new ArrayList<>(always);
        for (Curve c : optional) {
            if (measured(epochs, List.of(c))) {
                out.add(c);
            }
        }
        return out;
    }

    private static JFreeChart loss(List<EpochMetrics> epochs, int best) {
        List<Curve> curves = present(epochs, List.of(TRAIN_LOSS, TEST_LOSS), List.of(VAL_LOSS));
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (EpochMetrics e : epochs) {
            for (Curve c : curves) {
                double v = c.value().applyAsDouble(e);
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
        return chart("Loss per epoch", summary("loss", epochs, curves, "0.####"), curves, epochs, y, best);
    }

    private static JFreeChart accuracy(List<EpochMetrics> epochs, int best) {
        List<Curve> curves = present(epochs, List.of(TRAIN_ACCURACY, TEST_ACCURACY), List.of(VAL_ACCURACY));
        NumberAxis y = new NumberAxis("accuracy");
        zoom(y, epochs, curves);
        return chart("Accuracy per epoch", summary("accuracy", epochs, curves, "0.0000"), curves, epochs, y, best);
    }

    private static JFreeChart r2(List<EpochMetrics> epochs, int best) {
        List<Curve> curves = present(epochs, List.of(), List.of(TEST_R2, VAL_R2));
        NumberAxis y = new NumberAxis("R²");
        zoom(y, epochs, curves);
        return chart("R² per epoch", summary("R²", epochs, curves, "0.0000"), curves, epochs, y, best);
    }

    /**
     * A [0, 1]-like axis zoomed to the tenths around the data, so 0.97–0.99 is not a flat line at the top of
     * [0, 1]. R² may be far below 0 in the first epochs: the axis goes down to -1 at most (lower points are cut).
     */
    private static void zoom(NumberAxis y, List<EpochMetrics> epochs, List<Curve> curves) {
        double lo = 1, hi = 0;
        for (EpochMetrics e : epochs) {
            for (Curve c : curves) {
                double v = c.value().applyAsDouble(e);
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            y.setRange(0, 1);
        } else {
            double from = Math.max(lo >= 0 ? 0 : -1, Math.floor((lo - 0.02) * 10) / 10);
            double to = Math.min(1, Math.ceil((hi + 0.02) * 10) / 10);
            y.setRange(from, Math.max(to, from + 0.1));
            if (y.getRange().getLength() >= 0.5) {
                y.setTickUnit(new NumberTickUnit(y.getRange().getLength() > 1 ? 0.2 : 0.1, new DecimalFormat("0.0")));
            }
        }
    }

    private static XYSeriesCollection series(List<EpochMetrics> epochs, List<Curve> curves) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Curve c : curves) {
            XYSeries s = new XYSeries(c.name(), false, true);
            for (EpochMetrics e : epochs) {
                double v = c.value().applyAsDouble(e);
                if (Double.isFinite(v)) {
                    s.add(e.epoch(), v);
                }
            }
            data.addSeries(s);
        }
        return data;
    }

    /** "last loss: train 3.4112, test 3.3514" from each curve's last finite value. */
    private static String summary(String what, List<EpochMetrics> epochs, List<Curve> curves, String pattern) {
        DecimalFormat f = new DecimalFormat(pattern);
        StringBuilder s = new StringBuilder();
        for (Curve c : curves) {
            String v = last(epochs, c.value(), f);
            if (v != null) {
                s.append(s.isEmpty() ? "" : ", ").append(c.name()).append(' ').append(v);
            }
        }
        return s.isEmpty() ? "no " + what + " measured yet" : "last " + what + ": " + s;
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

    private static JFreeChart chart(String title, String subtitle, List<Curve> curves, List<EpochMetrics> epochs,
                                    ValueAxis y, int best) {
        XYSeriesCollection data = series(epochs, curves);
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
        int points = 0;
        for (int s = 0; s < data.getSeriesCount(); s++) {
            points = Math.max(points, data.getSeries(s).getItemCount());
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, points <= MARKERS_UP_TO);
        for (int s = 0; s < curves.size(); s++) {
            r.setSeriesPaint(s, curves.get(s).paint());
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
        if (best > 0) {
            ValueMarker m = new ValueMarker(best, Png.MUTED, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            m.setLabel("best epoch " + best);
            m.setLabelFont(Png.font(Font.PLAIN, 12));
            m.setLabelPaint(Png.MUTED);
            m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(m);
        }

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
