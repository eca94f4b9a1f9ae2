package io.shardprop.job.config;

import io.shardprop.core.data.Shift;
import io.shardprop.job.error.UsageException;

/**
 * {@code --shift} and {@code --image-height}: random translation of the training images ({@link Shift}), each
 * image of every step (or local step) moved by up to {@code shift} pixels along each axis. The inputs are images of
 * {@code imageHeight} rows ({@code 0}: square images) of the data's width.
 */
public record Augmentation(int shift, int imageHeight) {

    public Augmentation {
        require(shift >= 0 && shift <= 64, "--shift must be between 0 (none) and 64 pixels, got " + shift);
        require(imageHeight >= 0, "--image-height must be 0 (square images) or positive, got " + imageHeight);
    }

    /** Whether the images are moved. */
    public boolean enabled() {
        return shift > 0;
    }

    /**
     * The shift on inputs of {@code features} values a row, its image shape checked against them.
     *
     * @throws UsageException when the inputs are not images of that shape, or the shift is not smaller than a side
     */
    public Shift on(int features) {
        if (!enabled()) {
            return Shift.NONE;
        }
        int height = imageHeight > 0 ? imageHeight : (int) Math.round(Math.sqrt(features));
        require(features % height == 0 && (imageHeight > 0 || height * height == features), imageHeight > 0
                ? "--image-height " + imageHeight + " does not divide the " + features + " features of a row"
                : "--shift: the " + features + " features of a row are not a square image; give --image-height");
        int width = features / height;
        require(shift < Math.min(height, width), "--shift " + shift + " must be smaller than the images' sides ("
                + height + " x " + width + ")");
        return new Shift(height, width, shift);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UsageException(message);
        }
    }
}
