package io.shardprop.core.data;

/**
 * Images read from an IDX file: {@code count} images of {@code rows × cols} unsigned-byte pixels.
 *
 * @param name   the file name they were read from
 * @param count  number of images
 * @param rows   rows per image
 * @param cols   cols per image
 * @param pixels {@code count * rows * cols} bytes, image after image, each row-major; read them as
 *               unsigned ({@code pixels[i] & 0xff}, 0–255). Not copied.
 */
public record IdxImages(String name, int count, int rows, int cols, byte[] pixels) {
    /** @throws IllegalArgumentException if {@code pixels.length != count * rows * cols} */
    public IdxImages {
        if (count < 0 || rows < 0 || cols < 0 || pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixels for " + count
                    + " images of " + rows + " x " + cols);
        }
    }

    /** @return pixels per image, {@code rows * cols} */
    public int imageSize() {
        return rows * cols;
    }

    /** @return the pixel value 0–255 at ({@code row}, {@code col}) of image {@code image} */
    public int pixel(int image, int row, int col) {
        return pixels[image * imageSize() + row * cols + col] & 0xff;
    }

    @Override
    public String toString() {
        return "IdxImages[" + name + ", " + count + " x " + rows + " x " + cols + "]";
    }
}
