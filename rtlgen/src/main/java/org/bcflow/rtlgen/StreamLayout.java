package org.bcflow.rtlgen;

import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.ConvLayer;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.FeatureMap;
import org.bcflow.core.Layer;
import org.bcflow.core.MaxPoolLayer;
import org.bcflow.core.Network;

/**
 * How a conv network's stack maps onto streaming hardware: per weight layer, the conv geometry
 * around its matrix (the map it slides over, padding, the max-pool after it), and where the dense
 * layers start taking the map pixel by pixel. The network is one that
 * {@link org.bcflow.core.HardwareSupport#requireGeneratable} accepts.
 */
final class StreamLayout {
    private StreamLayout() {
    }

    /**
     * Per weight layer: its conv geometry, or null for a dense layer. With a folding, each conv
     * layer's window unit is chosen and sized too (without one, as for a folding of SIMD 1).
     */
    static List<Design.Conv> convs(Network net, Folding folding) {
        List<Design.Conv> out = new ArrayList<>();
        List<Layer> stack = net.stack();
        FeatureMap map = net.input();
        int w = 0;
        for (int i = 0; i < stack.size(); i++) {
            Layer l = stack.get(i);
            FeatureMap after = l.output(map);
            if (l instanceof ConvLayer c) {
                MaxPoolLayer pool = i + 1 < stack.size() && stack.get(i + 1) instanceof MaxPoolLayer p ? p : null;
                int simd = folding == null ? 1 : folding.layer(w).simd();
                int bits = c.matrix().inputBits();
                boolean buffered = buffered(map.channels(), simd);
                int depthBits = 0;
                boolean block;
                if (buffered) {
                    depthBits = bufferDepthBits(c.k(), map, simd, bits);
                    block = BlockRam.worthItForRam(1 << depthBits, simd * bits);
                } else {
                    block = c.k() > 1 && BlockRam.worthItForRam(map.width() + 2 * c.pad(), (c.k() - 1) * map.channels() * bits);
                }
                int outBits = w + 1 < net.layers().size() ? net.layer(w + 1).inputBits() : 0;
                boolean poolBlock = pool != null && BlockRam.worthItForRam(after.width() / pool.p(), after.channels() * outBits);
                out.add(new Design.Conv(c.k(), c.pad(), map.height(), map.width(), map.channels(), after.height(),
                        after.width(), pool == null ? null : pool.name(), pool == null ? 0 : pool.p(), buffered, depthBits, block,
                        poolBlock));
                w++;
            } else if (l instanceof DenseLayer) {
                out.add(null);
                w++;
            }
            map = after;
        }
        return out;
    }

    /**
     * Whether a conv layer's window comes from a buffer of SIMD-value words (bc_swu_buf): when SIMD
     * divides a map of several channels. A one-channel map (an image) keeps its window in registers
     * (bc_swu), which hands over a whole window at once and so allows SIMD beyond the channels.
     */
    static boolean buffered(int channels, int simd) {
        return channels > 1 && channels % simd == 0;
    }

    /**
     * Address bits of bc_swu_buf's buffer: at least K-1 rows and K pixels of words, then as deep as
     * the block RAMs that takes hold anyway (more rows decouple the layers), up to two images.
     */
    static int bufferDepthBits(int k, FeatureMap map, int simd, int bits) {
        int perPixel = map.channels() / simd;
        long needed = ((long) (k - 1) * map.width() + k) * perPixel;
        int depthBits = Math.max(1, 64 - Long.numberOfLeadingZeros(needed - 1));
        int width = simd * bits;
        long twoImages = 2L * map.positions() * perPixel;
        while ((1L << depthBits) < twoImages && BlockRam.worthItForRam(1 << depthBits, width)
                && BlockRam.ice40Blocks(1 << (depthBits + 1), width) == BlockRam.ice40Blocks(1 << depthBits, width)) {
            depthBits++;
        }
        return depthBits;
    }

    /** Output pixels per image of weight layer i when it is a conv layer, else 0. */
    static int positions(Network net, int i) {
        if (net.isMlp()) {
            return 0;
        }
        Design.Conv c = convs(net, null).get(i);  // the geometry alone
        return c == null ? 0 : c.positions();
    }

    /** The input channels of weight layer i when it is a conv layer, else 0. */
    static int inChannelsOfConv(Network net, int i) {
        if (net.isMlp()) {
            return 0;
        }
        Design.Conv c = convs(net, null).get(i);
        return c == null ? 0 : c.inChannels();
    }

    /** Index of the first dense weight layer of a network with conv layers (-1 for an MLP). */
    static int firstDense(Network net) {
        if (net.isMlp()) {
            return -1;
        }
        int w = 0;
        for (Layer l : net.stack()) {
            if (l instanceof DenseLayer) {
                return w;
            }
            if (l instanceof ConvLayer) {
                w++;
            }
        }
        return -1;
    }

    /** The channels of the map the first dense layer takes pixel by pixel (0 for an MLP). */
    static int pixelBeforeFirstDense(Network net) {
        int i = firstDense(net);
        return i <= 0 ? 0 : net.layer(i - 1).outputs();
    }

    /** The memory of a max-pool's row of partial maxima. */
    static Design.Memory poolMemory(Design.Conv c, int channels, int bits) {
        return Design.Memory.of(c.pool() + " row of maxima", c.outWidth() / c.poolSize(), channels * bits, c.poolInBlockRam());
    }

    /** The memory of a conv layer's window unit, or null for a 1x1 kernel in registers (no line buffer). */
    static Design.Memory windowMemory(String layer, Design.Conv c, int simd, int bits) {
        if (c.buffered()) {
            return Design.Memory.of(layer + " window buffer", 1 << c.bufferDepthBits(), simd * bits, c.bufferInBlockRam());
        }
        if (c.k() == 1) {
            return null;
        }
        return Design.Memory.of(layer + " line buffer", c.inWidth() + 2 * c.pad(), (c.k() - 1) * c.inChannels() * bits,
                c.bufferInBlockRam());
    }
}
