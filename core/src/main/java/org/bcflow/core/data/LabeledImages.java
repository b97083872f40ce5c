package org.bcflow.core.data;

import java.util.Arrays;
import org.bcflow.core.FeatureMap;

/**
 * Images with their labels: grey (1 channel) or colour (3 channels), 8 bits per channel.
 *
 * <p>Each image is stored in the one order of {@link FeatureMap}, position-major and channel-minor
 * (HWC): value (y, x, c) of image i is {@code pixels[i * pixelsPerImage() + (y * cols + x) * channels + c]}.
 * A grey image is therefore plain row-major pixels.
 *
 * @param count    number of images
 * @param channels 1 (grey) or 3 (red, green, blue)
 * @param rows     image height
 * @param cols     image width
 * @param pixels   count * channels * rows * cols unsigned bytes, image after image, each in HWC order
 * @param labels   count labels, each in 0..classes-1
 * @param classes  number of classes
 */
public record LabeledImages(int count, int channels, int rows, int cols, byte[] pixels, byte[] labels, int classes) {

    public LabeledImages {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(channels + " channels: images are grey (1) or colour (3)");
        }
        if (count < 0 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException(count + " images of " + rows + "x" + cols + " pixels: an image needs at least one pixel");
        }
        // one image and the whole set are each indexed by an int
        if ((long) channels * rows * cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("images of " + channels + "x" + rows + "x" + cols + " values are too large");
        }
        if (pixels.length != (long) count * channels * rows * cols || labels.length != count) {
            throw new IllegalArgumentException("sizes do not agree with " + count + " images of " + channels + "x" + rows + "x" + cols);
        }
    }

    /** Grey images: one channel. */
    public LabeledImages(int count, int rows, int cols, byte[] pixels, byte[] labels, int classes) {
        this(count, 1, rows, cols, pixels, labels, classes);
    }

    /** The length of an image as an input vector: channels * rows * cols. */
    public int pixelsPerImage() {
        return channels * rows * cols;
    }

    /** The shape of an image, channels x rows x cols. */
    public FeatureMap shape() {
        return new FeatureMap(channels, rows, cols);
    }

    /** Image i as unsigned values 0..255 in HWC order. */
    public int[] image(int i) {
        int n = pixelsPerImage();
        int[] out = new int[n];
        for (int j = 0; j < n; j++) {
            out[j] = pixels[i * n + j] & 0xff;
        }
        return out;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Images [from, to) as a new set. */
    public LabeledImages slice(int from, int to) {
        if (from < 0 || to > count || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") outside 0.." + count);
        }
        int n = pixelsPerImage();
        byte[] p = Arrays.copyOfRange(pixels, from * n, to * n);
        byte[] l = Arrays.copyOfRange(labels, from, to);
        return new LabeledImages(to - from, channels, rows, cols, p, l, classes);
    }

    public LabeledImages first(int n) {
        return slice(0, Math.min(n, count));
    }
}
