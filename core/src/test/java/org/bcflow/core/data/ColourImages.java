package org.bcflow.core.data;

import java.util.SplittableRandom;

/** Small random colour data sets for the reader tests. */
final class ColourImages {
    private ColourImages() {
    }

    /** {@code count} random 3x32x32 images with labels 0..9. */
    static LabeledImages random(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] pixels = new byte[count * 3 * 32 * 32];
        byte[] labels = new byte[count];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) r.nextInt(256);
        }
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
        }
        return new LabeledImages(count, 3, 32, 32, pixels, labels, 10);
    }
}
