package io.shardprop.job.config;

import io.shardprop.core.data.Shift;

import static io.shardprop.job.config.TrainOptions.IMAGE_HEIGHT;
import static io.shardprop.job.config.TrainOptions.SHIFT;

/**
 * {@code --shift} and {@code --image-height} (ranges checked by their declarations in {@link TrainOptions}):
 * random translation of the training images ({@link Shift}), each image of every step (or local step) moved by up
 * to {@code shift} pixels along each axis. The inputs are images of {@code imageHeight} rows ({@code 0}: square
 * images) of the data's width.
 */
public record Augmentation(int shift, int imageHeight) {

    /** Whether the images are moved. */
    public boolean enabled() {
        return shift > 0;
    }

    /**
     * The shift on inputs of {@code features} values a row, its image shape checked against them.
     *
     * @throws OptionException when the inputs are not images of that shape, or the shift is not smaller than a side
     */
    public Shift on(int features) {
        if (!enabled()) {
            return Shift.NONE;
        }
        int height = imageHeight > 0 ? imageHeight : (int) Math.round(Math.sqrt(features));
        if (imageHeight > 0 && features % height != 0) {
            throw new OptionException(IMAGE_HEIGHT, v -> v.name(IMAGE_HEIGHT) + " " + imageHeight
                    + " does not divide the " + features + " features of a row");
        }
        if (imageHeight == 0 && height * height != features) {
            throw new OptionException(SHIFT, v -> v.name(SHIFT) + ": the " + features
                    + " features of a row are not a square image; give " + v.name(IMAGE_HEIGHT));
        }
        int width = features / height;
        if (shift >= Math.min(height, width)) {
            throw new OptionException(SHIFT, v -> v.name(SHIFT) + " " + shift
                    + " must be smaller than the images' sides (" + height + " x " + width + ")");
        }
        return new Shift(height, width, shift);
    }
}
