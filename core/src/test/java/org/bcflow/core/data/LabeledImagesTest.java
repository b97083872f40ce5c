package org.bcflow.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bcflow.core.FeatureMap;
import org.junit.jupiter.api.Test;

class LabeledImagesTest {
    @Test
    void greyImagesHaveOneChannel() {
        LabeledImages grey = new LabeledImages(2, 2, 3, new byte[12], new byte[2], 10);
        assertEquals(1, grey.channels());
        assertEquals(6, grey.pixelsPerImage());
        assertEquals(new FeatureMap(1, 2, 3), grey.shape());
    }

    @Test
    void colourImagesAreSlicedWholeInHwcOrder() {
        byte[] px = new byte[3 * 3 * 2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) i;
        }
        LabeledImages set = new LabeledImages(3, 3, 2, 2, px, new byte[] {4, 5, 6}, 10);
        assertEquals(12, set.pixelsPerImage());
        assertEquals(new FeatureMap(3, 2, 2), set.shape());
        LabeledImages last = set.slice(1, 3);
        assertEquals(3, last.channels());
        assertEquals(5, last.label(0));
        int[] image = last.image(1);
        // image 2, value (y 1, x 0, c 2)
        assertEquals(2 * 12 + set.shape().index(1, 0, 2), image[set.shape().index(1, 0, 2)]);
        assertArrayEquals(set.first(1).pixels(), java.util.Arrays.copyOf(px, 12));
    }

    @Test
    void refusesOtherChannelCountsAndWrongSizes() {
        assertThrows(IllegalArgumentException.class, () -> new LabeledImages(1, 2, 2, 2, new byte[8], new byte[1], 10));
        assertThrows(IllegalArgumentException.class, () -> new LabeledImages(1, 3, 2, 2, new byte[4], new byte[1], 10));
    }

    @Test
    void idxFilesHoldGreyImagesOnly() {
        LabeledImages colour = ColourImages.random(1, 1);
        assertThrows(IllegalArgumentException.class, () -> IdxWriter.writeFolder(colour, java.nio.file.Path.of("unused")));
    }
}
