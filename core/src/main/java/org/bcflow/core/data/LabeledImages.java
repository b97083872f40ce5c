package org.bcflow.core.data;

/**
 * Grey-scale images with their labels, as read from IDX files.
 *
 * @param count  number of images
 * @param rows   image height
 * @param cols   image width
 * @param pixels count * rows * cols unsigned bytes, image after image, row-major
 * @param labels count labels, each in 0..classes-1
 * @param classes number of classes
 */
public record LabeledImages(int count, int rows, int cols, byte[] pixels, byte[] labels, int classes) {

    public LabeledImages {
        if (count < 0 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException(count + " images of " + rows + "x" + cols + " pixels: an image needs at least one pixel");
        }
        if (pixels.length != (long) count * rows * cols || labels.length != count) {
            throw new IllegalArgumentException("sizes do not agree with " + count + " images of " + rows + "x" + cols);
        }
    }

    public int pixelsPerImage() {
        return rows * cols;
    }

    /** Image i as unsigned pixel values 0..255. */
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
        byte[] p = java.util.Arrays.copyOfRange(pixels, from * n, to * n);
        byte[] l = java.util.Arrays.copyOfRange(labels, from, to);
        return new LabeledImages(to - from, rows, cols, p, l, classes);
    }

    public LabeledImages first(int n) {
        return slice(0, Math.min(n, count));
    }
}
