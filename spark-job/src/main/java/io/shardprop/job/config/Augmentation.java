package io.shardprop.job.config;

import io.shardprop.core.data.Deformation;

import static io.shardprop.job.config.TrainOptions.IMAGE_HEIGHT;
import static io.shardprop.job.config.TrainOptions.SHIFT;

/**
 * The deformations of {@code --shift}, {@code --elastic-alpha}/{@code --elastic-sigma}, {@code --rotate},
 * {@code --scale} and {@code --shear} with {@code --image-height} (ranges checked by their declarations in
 * {@link TrainOptions}): every training image of every step (or local step) resampled once ({@link Deformation}).
 * The inputs are images of {@code imageHeight} rows ({@code 0}: square images) of the data's width.
 */
public record Augmentation(int shift, double sigma, double alpha, double rotate, double scale, double shear,
                           int imageHeight) {

    /** The deformation options of {@code values} (checked against their declarations by the caller). */
    public static Augmentation of(OptionValues values) {
        return new Augmentation(values.get(SHIFT), values.get(TrainOptions.ELASTIC_SIGMA),
                values.get(TrainOptions.ELASTIC_ALPHA), values.get(TrainOptions.ROTATE), values.get(TrainOptions.SCALE),
                values.get(TrainOptions.SHEAR), values.get(IMAGE_HEIGHT));
    }

    /** Whether the images are deformed. */
    public boolean enabled() {
        return shift > 0 || alpha > 0 || rotate > 0 || scale > 0 || shear > 0;
    }

    /**
     * The deformation of inputs of {@code features} values a row, its image shape checked against them.
     *
     * @throws OptionException when the inputs are not images of that shape, or the shift is not smaller than a side
     */
    public Deformation on(int features) {
        if (!enabled()) {
            return Deformation.NONE;
        }
        int height = imageHeight > 0 ? imageHeight : (int) Math.round(Math.sqrt(features));
        if (imageHeight > 0 && features % height != 0) {
            throw new OptionException(IMAGE_HEIGHT, v -> v.name(IMAGE_HEIGHT) + " " + imageHeight
                    + " does not divide the " + features + " features of a row");
        }
        if (imageHeight == 0 && height * height != features) {
            throw new OptionException(IMAGE_HEIGHT, v -> "the deformations need images: the " + features
                    + " features of a row are not a square image; give " + v.name(IMAGE_HEIGHT));
        }
        int width = features / height;
        if (shift >= Math.min(height, width)) {
            throw new OptionException(SHIFT, v -> v.name(SHIFT) + " " + shift
                    + " must be smaller than the images' sides (" + height + " x " + width + ")");
        }
        return new Deformation(height, width, shift, sigma, alpha, rotate, scale, shear);
    }
}
