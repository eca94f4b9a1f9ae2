package io.shardprop.job.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code mistakes.png}: plain Java2D. Each cell is the image in a {@value #BOX} px square (28 × 28 scaled
 * ×3, nearest neighbour, ink dark on white) above a two-line caption.
 */
final class MistakeGrid {

    static final int COLUMNS = 8, MAX = 64;
    private static final int BOX = 84, CELL_W = 132, CELL_H = 136, MARGIN = 24, HEADER = 64, FOOTER = 12;

    private MistakeGrid() {
    }

    /** {@code {width, height}} for {@code count} mistakes (at least one row, also for none). */
    static int[] size(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("mistakes: count " + count + " < 0");
        }
        int rows = Math.max(1, (Math.min(count, MAX) + COLUMNS - 1) / COLUMNS);
        return new int[] {2 * MARGIN + COLUMNS * CELL_W, HEADER + rows * CELL_H + FOOTER};
    }

    static BufferedImage draw(List<Mistake> mistakes, long total) {
        List<Mistake> shown = new ArrayList<>(mistakes);
        for (int i = 0; i < shown.size(); i++) {
            if (shown.get(i) == null) {
                throw new IllegalArgumentException("mistakes: element " + i + " is null");
            }
        }
        // Most confident first: those are the model's worst errors. NaN (unknown) goes last.
        shown.sort(Comparator.comparingDouble((Mistake m) -> Double.isNaN(m.confidence()) ? -1 : m.confidence())
                .reversed());
        shown = shown.subList(0, Math.min(MAX, shown.size()));
        int[] wh = size(shown.size());
        BufferedImage img = Png.canvas(wh[0], wh[1]);
        Graphics2D g = Png.graphics(img);

        g.setFont(Png.font(Font.BOLD, 18));
        g.setColor(Png.INK);
        g.drawString("Misclassified digits", MARGIN, 30);
        g.setFont(Png.font(Font.PLAIN, 13));
        g.setColor(Png.MUTED);
        if (total > 0) {
            String sub = shown.size() == total ? String.format(Locale.ROOT, "all %,d, most confident first", total)
                    : String.format(Locale.ROOT, "the %,d most confident of %,d", shown.size(), total);
            g.drawString(sub + "   \u00b7   p = the model's probability for its prediction", MARGIN, 50);
        }

        if (shown.isEmpty()) {
            g.setFont(Png.font(Font.PLAIN, 22));
            g.setColor(Png.MUTED);
            String none = "no mistakes";
            FontMetrics fm = g.getFontMetrics();
            g.drawString(none, (wh[0] - fm.stringWidth(none)) / 2, HEADER + CELL_H / 2);
        }
        String arrow = g.getFont().canDisplay('\u2192') ? " \u2192 " : " -> ";
        for (int i = 0; i < shown.size(); i++) {
            cell(g, shown.get(i), MARGIN + (i % COLUMNS) * CELL_W, HEADER + (i / COLUMNS) * CELL_H, arrow);
        }
        g.dispose();
        return img;
    }

    private static void cell(Graphics2D g, Mistake m, int x0, int y0, String arrow) {
        int bx = x0 + (CELL_W - BOX) / 2, by = y0 + 4;
        double s = (double) BOX / Math.max(m.rows(), m.cols());
        int w = (int) Math.round(m.cols() * s), h = (int) Math.round(m.rows() * s);
        BufferedImage digit = new BufferedImage(m.cols(), m.rows(), BufferedImage.TYPE_BYTE_GRAY);
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                int v = 255 - m.pixel(r, c);
                digit.getRaster().setSample(c, r, 0, v);
            }
        }
        Object aa = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.drawImage(digit, bx + (BOX - w) / 2, by + (BOX - h) / 2, w, h, null);
        g.setColor(Png.GRID);
        g.drawRect(bx - 1, by - 1, BOX + 1, BOX + 1);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);

        Font plain = Png.font(Font.PLAIN, 13), bold = Png.font(Font.BOLD, 13);
        String[] parts = {"true " + m.trueLabel(), arrow, "pred " + m.predicted()};
        Font[] fonts = {plain, plain, bold};
        Color[] colors = {Png.INK, Png.MUTED, Png.WRONG};
        int width = 0;
        for (int i = 0; i < parts.length; i++) {
            width += g.getFontMetrics(fonts[i]).stringWidth(parts[i]);
        }
        int x = x0 + (CELL_W - width) / 2, y = by + BOX + 19;
        for (int i = 0; i < parts.length; i++) {
            g.setFont(fonts[i]);
            g.setColor(colors[i]);
            g.drawString(parts[i], x, y);
            x += g.getFontMetrics().stringWidth(parts[i]);
        }
        String p = Double.isNaN(m.confidence()) ? "p=?" : String.format(Locale.ROOT, "p=%.2f", m.confidence());
        g.setFont(Png.font(Font.PLAIN, 12));
        g.setColor(Png.MUTED);
        g.drawString(p, x0 + (CELL_W - g.getFontMetrics().stringWidth(p)) / 2, y + 17);
    }
}
