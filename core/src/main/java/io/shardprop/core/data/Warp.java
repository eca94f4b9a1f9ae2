package io.shardprop.core.data;

/**
 * The one resampling of every deformation: output pixel {@code p} of an {@code h x w} image reads the input at
 * {@code c + M (p - c) - t + d(p)}, where {@code c} is the image's centre, {@code M} a 2 x 2 matrix, {@code t} a
 * translation and {@code d} a displacement field, by bilinear interpolation with zeros outside the image. At
 * integer source positions the interpolation weights are exactly 1 and 0, so an identity map returns the image
 * bit for bit and a whole-pixel translation is a copy; {@link #translate} is that copy, done with row copies,
 * and must equal {@link #resample} with {@code M = I} and no field. The resampling runs in float32, in plain loops (a
 * Vector API version with gathered neighbours measured 3x slower on JDK 17).
 */
public final class Warp {

    private Warp() {
    }

    /**
     * Resamples {@code padded} (the input image with a border of zeros: {@code (h + 2) x (w + 2)}, row-major)
     * into {@code out} ({@code h x w}). {@code field}: null for none, or the displacements, row {@code i}'s x
     * (column) displacements from {@code field[i * stride]}, its y (row) ones from {@code field[i * stride + stride / 2]}.
     * {@code m00..m11}: {@code M} acting on (x, y) = (column, row).
     */
    public static void resample(float[] padded, int h, int w, float m00, float m01, float m10, float m11,
                                float tx, float ty, float[] field, int stride, float[] out) {
        float cx = (w - 1) / 2f;
        float cy = (h - 1) / 2f;
        int pw = w + 2;
        for (int i = 0; i < h; i++) {
            float py = i - cy;
            // positions plus one: the padded image's coordinates, where the valid range starts at 0
            float rowX = cx + m01 * py - tx + 1;
            float rowY = cy + m11 * py - ty + 1;
            int k = i * w;
            if (field == null) {
                for (int j = 0; j < w; j++) {
                    float px = j - cx;
                    out[k + j] = bilinear(padded, pw, w, h, rowX + m00 * px, rowY + m10 * px);
                }
            } else {
                int f = i * stride;
                int g = f + stride / 2;
                for (int j = 0; j < w; j++) {
                    float px = j - cx;
                    out[k + j] = bilinear(padded, pw, w, h, rowX + m00 * px + field[f + j],
                            rowY + m10 * px + field[g + j]);
                }
            }
        }
    }

    /** The padded image at (x, y) of its own coordinates, 0 where all four neighbours are outside the image. */
    private static float bilinear(float[] padded, int pw, int w, int h, float x, float y) {
        if (!(x >= 0 && x < w + 1 && y >= 0 && y < h + 1)) {
            return 0f;  // all four neighbours outside (or a non-finite position)
        }
        int xi = (int) x;  // floor: x is not negative
        int yi = (int) y;
        float ax = x - xi;
        float ay = y - yi;
        int p = yi * pw + xi;
        return (1 - ay) * ((1 - ax) * padded[p] + ax * padded[p + 1])
                + ay * ((1 - ax) * padded[p + pw] + ax * padded[p + pw + 1]);
    }

    /**
     * The whole-pixel translation of {@link #resample} ({@code M = I}, no field, {@code t = (dx, dy)}): copies the
     * {@code h x w} image at {@code in[src..]} into {@code out[dst..]}, moved by {@code dy} rows and {@code dx}
     * columns. {@code in} and {@code out} are both {@code double[]} or both {@code float[]}; the pixels the move
     * uncovers must already be 0 in {@code out}.
     */
    public static void translate(Object in, int src, Object out, int dst, int h, int w, int dy, int dx) {
        int c0 = Math.max(0, dx);
        int len = Math.min(w, w + dx) - c0;
        if (len <= 0) {
            return;
        }
        for (int r = Math.max(0, dy), last = Math.min(h, h + dy); r < last; r++) {
            System.arraycopy(in, src + (r - dy) * w + c0 - dx, out, dst + r * w + c0, len);
        }
    }
}
