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

    /** Per weight layer: its conv geometry, or null for a dense layer. */
    static List<Design.Conv> convs(Network net, boolean[] lineBuffersInBlockRam) {
        List<Design.Conv> out = new ArrayList<>();
        List<Layer> stack = net.stack();
        FeatureMap map = net.input();
        int w = 0;
        for (int i = 0; i < stack.size(); i++) {
            Layer l = stack.get(i);
            FeatureMap after = l.output(map);
            if (l instanceof ConvLayer c) {
                MaxPoolLayer pool = i + 1 < stack.size() && stack.get(i + 1) instanceof MaxPoolLayer p ? p : null;
                out.add(new Design.Conv(c.k(), c.pad(), map.height(), map.width(), map.channels(), after.height(),
                        after.width(), pool == null ? null : pool.name(), pool == null ? 0 : pool.p(),
                        lineBuffersInBlockRam != null && lineBuffersInBlockRam[w]));
                w++;
            } else if (l instanceof DenseLayer) {
                out.add(null);
                w++;
            }
            map = after;
        }
        return out;
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

    /** Bits of a line buffer of a K x K window over a map W wide (with padding), C channels of BITS: (K-1) rows of pixels. */
    static int lineBufferWidth(Design.Conv c, int bits) {
        return (c.k() - 1) * c.inChannels() * bits;
    }

    static int lineBufferDepth(Design.Conv c) {
        return c.inWidth() + 2 * c.pad();
    }
}
