package io.shardprop.core.data;

import io.shardprop.core.linalg.FMat;
import io.shardprop.core.linalg.Inputs;
import io.shardprop.core.linalg.Mat;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Random deformations of training images, the data augmentation of {@code --shift}, {@code --elastic-alpha},
 * {@code --rotate}, {@code --scale} and {@code --shear}: every row of an input matrix is an image of
 * {@code height x width} values, row-major, followed by the column of ones that carries the bias. Each image gets
 * its own deformation, one resampling ({@link Warp}) of
 * <ul>
 *   <li>a whole-pixel translation {@code (dy, dx)}, each uniform in {@code -shift..shift};</li>
 *   <li>an affine map: rotation by {@code θ ~ U(-rotate, rotate)} degrees, horizontal shear by an angle
 *       {@code φ ~ U(-shear, shear)} degrees and scaling by {@code sx, sy ~ U(1 - scale, 1 + scale)} each, about
 *       the image's centre (the image is scaled, then sheared, then rotated: the resampling reads through the
 *       inverse);</li>
 *   <li>Simard's elastic field ({@link ElasticField}): Gaussian width {@code sigma}, amplitude {@code alpha}
 *       pixels.</li>
 * </ul>
 * Uncovered pixels are 0 (the background of scaled MNIST); the ones column is kept. An image's draws come from a
 * {@link SplittableRandom} seeded by the epoch's seed and the sample's index alone ({@link #sampleSeed}), so a
 * sample is deformed the same way wherever, in whichever block and however often it is computed. With only
 * {@code shift} the resampling is a copy ({@link Warp#translate}); otherwise it runs in float32 (float64 inputs
 * get float32-resampled values, widened).
 *
 * @param height image rows
 * @param width  image columns
 * @param shift  the largest whole-pixel move along each axis; 0 for none
 * @param sigma  the elastic field's Gaussian width, in pixels
 * @param alpha  the elastic field's scale, in pixels; 0 for no field
 * @param rotate the largest rotation, in degrees; 0 for none
 * @param scale  the largest relative change of size along each axis, below 1; 0 for none
 * @param shear  the largest horizontal shear angle, in degrees, below 90; 0 for none
 */
public record Deformation(int height, int width, int shift, double sigma, double alpha, double rotate, double scale,
                          double shear) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Simard's width of the elastic field's Gaussian, in pixels. */
    public static final double SIMARD_SIGMA = 4.0;

    /** No augmentation. */
    public static final Deformation NONE = new Deformation(0, 0, 0, SIMARD_SIGMA, 0, 0, 0, 0);

    public Deformation {
        if (height < 0 || width < 0 || shift < 0 || !(sigma > 0) || !(alpha >= 0) || !(rotate >= 0 && rotate <= 180)
                || !(scale >= 0 && scale < 1) || !(shear >= 0 && shear < 90) || Double.isInfinite(alpha)
                || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("Deformation: shift " + shift + ", sigma " + sigma + ", alpha " + alpha
                    + ", rotate " + rotate + ", scale " + scale + ", shear " + shear + " out of range");
        }
        boolean any = shift > 0 || alpha > 0 || rotate > 0 || scale > 0 || shear > 0;
        if (any && (height == 0 || width == 0 || shift >= Math.min(height, width))) {
            throw new IllegalArgumentException("Deformation: a move of less than the image's side required, got "
                    + shift + " on " + height + " x " + width);
        }
    }

    /** Whole-pixel translations only: {@code --shift} alone. */
    public static Deformation shift(int height, int width, int max) {
        return new Deformation(height, width, max, SIMARD_SIGMA, 0, 0, 0, 0);
    }

    /** Whether this deformation leaves inputs as they are. */
    public boolean none() {
        return shift == 0 && translationOnly();
    }

    /** Whether images are only ever moved by whole pixels. */
    public boolean translationOnly() {
        return alpha == 0 && rotate == 0 && scale == 0 && shear == 0;
    }

    /** The seed of epoch {@code epoch}'s deformations in a run seeded {@code seed}. */
    public static long epochSeed(long seed, long epoch) {
        return seed * 0xBF58476D1CE4E5B9L + epoch * 0x94D049BB133111EBL;
    }

    /** The seed of sample {@code sample}'s deformation in the epoch seeded {@code epochSeed}. */
    public static long sampleSeed(long epochSeed, long sample) {
        return mix(epochSeed ^ mix(sample * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L));
    }

    /**
     * {@code block}'s samples with their images deformed, labels unchanged: the one rule every trainer path uses.
     * Without a deformation, the block's batch itself; else byte inputs are expanded first
     * ({@link Batch#expanded()}). The products take the result through {@link Batch#forProducts()}.
     */
    public Batch apply(Block block, long epochSeed) {
        if (none()) {
            return block.data();
        }
        Batch b = block.data().expanded();
        return b.withInputs(apply(b.x(), block.first(), epochSeed));
    }

    /**
     * {@code x} with every image deformed, as a new matrix in the same precision ({@code x} itself for
     * {@link #none()}): row {@code i} is sample {@code firstSample + i}.
     */
    public Inputs apply(Inputs x, long firstSample, long epochSeed) {
        if (none()) {
            return x;
        }
        int pixels = height * width;
        if (x.cols() != pixels + 1) {
            throw new IllegalArgumentException("Deformation: inputs " + x.shape() + " are not " + height + " x "
                    + width + " images and a bias column");
        }
        int n = x.rows();
        int cols = x.cols();
        boolean single = x instanceof FMat;
        Object in = single ? ((FMat) x).data() : ((Mat) x).data();
        int offset = single ? ((FMat) x).offset() : ((Mat) x).offset();
        Object out = single ? new float[Math.multiplyExact(n, cols)] : new double[Math.multiplyExact(n, cols)];
        Scratch s = translationOnly() ? null : new Scratch();
        for (int i = 0; i < n; i++) {
            int src = offset + i * cols;
            int dst = i * cols;
            SplittableRandom rnd = new SplittableRandom(sampleSeed(epochSeed, firstSample + i));
            if (s == null) {
                int dy = move(rnd);
                Warp.translate(in, src, out, dst, height, width, dy, move(rnd));
            } else if (single) {
                s.load((float[]) in, src);
                s.deform(rnd);
                System.arraycopy(s.out, 0, out, dst, pixels);
            } else {
                s.load((double[]) in, src);
                s.deform(rnd);
                s.store((double[]) out, dst);
            }
            System.arraycopy(in, src + pixels, out, dst + pixels, 1);  // the bias column's one
        }
        return single ? new FMat((float[]) out, 0, n, cols) : new Mat((double[]) out, 0, n, cols);
    }

    /**
     * One image ({@code height x width} values at {@code image[offset..]}) deformed as sample {@code sample} of
     * the epoch seeded {@code epochSeed} is in {@link #apply}, into {@code out} ({@code height x width}).
     */
    public void deform(double[] image, int offset, long sample, long epochSeed, double[] out) {
        Mat one = new Mat(java.util.Arrays.copyOfRange(image, offset, offset + height * width + 1), 0, 1,
                height * width + 1);
        Mat d = (Mat) apply(one, sample, epochSeed);
        System.arraycopy(d.data(), 0, out, 0, height * width);
    }

    /** A whole-pixel move along one axis, uniform in {@code -shift..shift}; 0, drawing nothing, without a shift. */
    private int move(SplittableRandom rnd) {
        return shift == 0 ? 0 : rnd.nextInt(2 * shift + 1) - shift;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One image's buffers, reused across the images of a call. */
    private final class Scratch {
        final float[] padded = new float[(height + 2) * (width + 2)];
        final float[] out = new float[height * width];
        final ElasticField field;
        final float[] displacement;
        final float[] t;

        Scratch() {
            field = alpha > 0 ? ElasticField.of(height, width, sigma) : null;
            displacement = field == null ? null : new float[height * field.stride()];
            t = field == null ? null : new float[field.scratch()];
        }

        void load(float[] in, int src) {
            for (int r = 0, pw = width + 2; r < height; r++) {
                System.arraycopy(in, src + r * width, padded, (r + 1) * pw + 1, width);
            }
        }

        void load(double[] in, int src) {
            for (int r = 0, pw = width + 2; r < height; r++) {
                int p = (r + 1) * pw + 1;
                int q = src + r * width;
                for (int c = 0; c < width; c++) {
                    padded[p + c] = (float) in[q + c];
                }
            }
        }

        void store(double[] dst, int at) {
            for (int k = 0; k < out.length; k++) {
                dst[at + k] = out[k];
            }
        }

        /** Draws this image's translation, affine map and field, in that order, and resamples into {@link #out}. */
        void deform(SplittableRandom rnd) {
            int ty = move(rnd);
            int tx = move(rnd);
            double theta = Math.toRadians(rotate * (2 * rnd.nextDouble() - 1));
            double phi = Math.toRadians(shear * (2 * rnd.nextDouble() - 1));
            double sx = 1 + scale * (2 * rnd.nextDouble() - 1);
            double sy = 1 + scale * (2 * rnd.nextDouble() - 1);
            // forward F = R(θ) · [[1, tan φ], [0, 1]] · diag(sx, sy); the resampling reads through M = F⁻¹
            double cos = Math.cos(theta);
            double sin = Math.sin(theta);
            double tan = Math.tan(phi);
            double f00 = cos * sx;
            double f01 = (cos * tan - sin) * sy;
            double f10 = sin * sx;
            double f11 = (sin * tan + cos) * sy;
            double det = f00 * f11 - f01 * f10;
            if (field != null) {
                field.draw(rnd, alpha, t, displacement);
            }
            Warp.resample(padded, height, width, (float) (f11 / det), (float) (-f01 / det), (float) (-f10 / det),
                    (float) (f00 / det), (float) tx, (float) ty, displacement, field == null ? 0 : field.stride(), out);
        }
    }
}
