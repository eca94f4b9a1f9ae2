package io.shardprop.job.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import javax.imageio.ImageIO;

/** Canvas, fonts, colours and PNG encoding shared by the pictures. */
final class Png {

    static final Color INK = new Color(0x22, 0x22, 0x22);
    static final Color MUTED = new Color(0x66, 0x66, 0x66);
    static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    /** matplotlib's first two colours: train blue, test orange. */
    static final Color TRAIN = new Color(0x1F, 0x77, 0xB4);
    static final Color TEST = new Color(0xFF, 0x7F, 0x0E);
    static final Color VALIDATION = new Color(0x2C, 0xA0, 0x2C);
    static final Color WRONG = new Color(0xC6, 0x28, 0x28);

    private Png() {
    }

    /** The logical sans-serif font (DejaVu Sans on Debian). */
    static Font font(int style, float size) {
        return new Font(Font.SANS_SERIF, style, 1).deriveFont(size);
    }

    /** A white {@code width × height} RGB image. */
    static BufferedImage canvas(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return img;
    }

    /** Graphics on {@code img} with anti-aliased shapes and text. */
    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        return g;
    }

    /**
     * A chart in the pictures' style: white and anti-aliased, with {@code padding} around it, a bold 18-point
     * title in ink and under it {@code subtitle}, plain {@code subtitleSize}-point and muted, padded by
     * {@code subtitlePadding}.
     */
    static JFreeChart chart(String title, Plot plot, boolean legend, RectangleInsets padding, String subtitle,
                            float subtitleSize, RectangleInsets subtitlePadding) {
        JFreeChart chart = new JFreeChart(title, font(Font.BOLD, 18), plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(padding);
        chart.getTitle().setPaint(INK);
        TextTitle sub = new TextTitle(subtitle, font(Font.PLAIN, subtitleSize));
        sub.setPaint(MUTED);
        sub.setPadding(subtitlePadding);
        chart.addSubtitle(sub);
        return chart;
    }

    /** Encodes {@code img} as PNG into {@code out} and flushes it. */
    static void write(BufferedImage img, OutputStream out) throws IOException {
        if (!ImageIO.write(img, "png", out)) {
            throw new IllegalStateException("no PNG writer in this JDK's ImageIO");
        }
        out.flush();
    }
}
