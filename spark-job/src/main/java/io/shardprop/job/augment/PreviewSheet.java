package io.shardprop.job.augment;

import io.shardprop.job.io.HadoopFs;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * {@code augment --preview}: a PNG with one row per digit, the source image then its first {@code copies}
 * deformed copies (rows {@code n·k + i}, {@code k = 1..copies}, of the set {@code augment} would write), each
 * pixel a {@value #SCALE} x {@value #SCALE} square, ink dark on white, {@value #GAP} px apart. Row {@code r} shows
 * the {@code (r / 10)}-th image of label {@code r mod 10} (the first zero, the first one, ...). No Spark.
 */
public final class PreviewSheet {

    static final int SCALE = 3;
    static final int GAP = 2;

    private PreviewSheet() {
    }

    /** {@code {width, height}} of the sheet of {@code digits} rows of {@code 1 + copies} images. */
    public static int[] size(int height, int width, int digits, int copies) {
        return new int[]{GAP + (copies + 1) * (width * SCALE + GAP), GAP + digits * (height * SCALE + GAP)};
    }

    /** The sheet of {@code digits} rows; {@code copies}' copy count is the columns after the source. */
    public static BufferedImage draw(Copies copies, int digits) {
        SourceImages s = copies.source();
        int h = s.height();
        int w = s.width();
        int[] wh = size(h, w, digits, copies.copies());
        BufferedImage img = new BufferedImage(wh[0], wh[1], BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < wh[1]; y++) {
            for (int x = 0; x < wh[0]; x++) {
                img.setRGB(x, y, 0xFFFFFF);
            }
        }
        byte[] pixels = new byte[s.pixelsPerImage()];
        List<Integer> shown = images(s, digits);
        for (int r = 0; r < shown.size(); r++) {
            for (int k = 0; k <= copies.copies(); k++) {
                copies.pixels((long) s.count() * k + shown.get(r), 1, pixels);
                int left = GAP + k * (w * SCALE + GAP);
                int top = GAP + r * (h * SCALE + GAP);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int ink = 255 - (pixels[y * w + x] & 0xFF);
                        int rgb = ink << 16 | ink << 8 | ink;
                        for (int dy = 0; dy < SCALE; dy++) {
                            for (int dx = 0; dx < SCALE; dx++) {
                                img.setRGB(left + x * SCALE + dx, top + y * SCALE + dy, rgb);
                            }
                        }
                    }
                }
            }
        }
        return img;
    }

    /** Writes the sheet as a PNG to {@code uri} (atomically). */
    public static void write(HadoopFs fs, String uri, Copies copies, int digits) throws IOException {
        BufferedImage img = draw(copies, digits);
        fs.writeAtomically(uri, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JDK's ImageIO");
            }
        });
    }

    /**
     * The images of the rows: the {@code (r / 10)}-th of label {@code r mod 10}, or, when there is no such image,
     * the first one not shown yet.
     */
    static List<Integer> images(SourceImages s, int digits) {
        List<Integer> shown = new ArrayList<>();
        for (int r = 0; r < digits; r++) {
            int label = r % 10;
            int wanted = r / 10;
            int found = -1;
            for (int i = 0, seen = 0; i < s.count() && found < 0; i++) {
                if (s.labels()[i] == label && seen++ == wanted) {
                    found = i;
                }
            }
            for (int i = 0; i < s.count() && (found < 0 || shown.contains(found)); i++) {
                found = i;
            }
            shown.add(found);
        }
        return shown;
    }
}
