package org.bcflow.sim;

import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.FeatureMap;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.TopNames;

/**
 * The streams the testbench taps: every layer's output stream (a conv layer's before its pool, and
 * the pool's), each the output of one layer of the network's stack, so that its values line up
 * with the reference trace. A stream of one beat per image (a dense layer) is logged whole; a
 * stream of pixels is logged as one digest per image, and beat by beat only when a digest
 * disagrees and the image is run again to locate the pixel.
 *
 * @param stream     the stream's name in the top (its valid, ready and data wires)
 * @param stackIndex the layer of the network's stack whose output it carries
 * @param values     values per beat
 * @param bits       bits per value
 * @param beats      beats per image
 * @param signed     the values are signed (the scores)
 * @param map        the shape of the layer's output, for naming a pixel
 */
record Taps(String stream, int stackIndex, int values, int bits, int beats, boolean signed, FeatureMap map) {

    /** FNV-1a over 32-bit words: the testbench's digest of a stream's beats for one image. */
    static final long FNV_OFFSET = 0xcbf29ce484222325L;
    static final long FNV_PRIME = 0x100000001b3L;

    static List<Taps> of(Design d) {
        List<Taps> out = new ArrayList<>();
        int stack = 0;
        for (int i = 0; i < d.layers().size(); i++) {
            Design.Layer l = d.layers().get(i);
            Design.Conv c = l.conv();
            boolean last = i == d.layers().size() - 1;
            if (c == null) {
                out.add(new Taps(l.name(), stack++, l.outputs(), l.outBits(), 1, last, FeatureMap.vector(l.outputs())));
                continue;
            }
            out.add(new Taps(l.name(), stack++, l.outputs(), l.outBits(), c.positions(), false,
                    new FeatureMap(l.outputs(), c.outHeight(), c.outWidth())));
            if (c.poolSize() > 0) {
                out.add(new Taps(c.pool(), stack++, l.outputs(), l.outBits(), c.pooledPositions(), false,
                        new FeatureMap(l.outputs(), c.outHeight() / c.poolSize(), c.outWidth() / c.poolSize())));
            }
        }
        return out;
    }

    String valid() {
        return TopNames.valid(stream);
    }

    /** Bits of one beat. */
    int beatBits() {
        return values * bits;
    }

    /** The testbench's digest of one image's beats of this stream, from the reference's output map (HWC). */
    long digest(long[] map) {
        int words = (beatBits() + 31) / 32;
        long h = FNV_OFFSET;
        for (int b = 0; b < beats; b++) {
            long[] w = new long[words];
            for (int v = 0; v < values; v++) {
                long value = map[b * values + v];
                for (int k = 0; k < bits; k++) {
                    if ((value >>> k & 1) != 0) {
                        int bit = v * bits + k;
                        w[bit / 32] |= 1L << (bit % 32);
                    }
                }
            }
            for (long word : w) {
                h ^= word;
                h *= FNV_PRIME;
            }
        }
        return h;
    }
}
