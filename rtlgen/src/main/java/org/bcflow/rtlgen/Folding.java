package org.bcflow.rtlgen;

import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.BcflowException;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.Divisors;
import org.bcflow.core.HardwareSupport;
import org.bcflow.core.Network;
import org.bcflow.core.RomPacking;

/** The folding of every layer of a network, checked against its sizes. */
public record Folding(List<LayerFolding> layers) {

    public Folding {
        layers = List.copyOf(layers);
    }

    public LayerFolding layer(int i) {
        return layers.get(i);
    }

    /** Checks that the folding fits the network: one entry per layer, PE and SIMD dividing it. */
    public Folding checkedAgainst(Network net) {
        HardwareSupport.requireGeneratable(net, null);
        if (layers.size() != net.layers().size()) {
            throw new BcflowException("folding gives " + layers.size() + " layers but the network has " + net.layers().size());
        }
        for (int i = 0; i < layers.size(); i++) {
            RomPacking.checkFolding(net.layer(i), layers.get(i).pe(), layers.get(i).simd());
        }
        int pixel = StreamLayout.pixelBeforeFirstDense(net);
        if (pixel > 0) {
            int i = StreamLayout.firstDense(net);
            int simd = layers.get(i).simd();
            if (simd % pixel != 0 && pixel % simd != 0) {
                throw new BcflowException(net.layer(i).name() + ": SIMD " + simd + " must divide, or be a multiple of, the "
                        + pixel + " channels of the map it takes pixel by pixel");
            }
        }
        return this;
    }

    /**
     * The folding asked for: PE and SIMD per layer, or one value for every layer; a null list
     * leaves that dimension to the automatic folding that keeps pace with the input stream of
     * {@code pixelsPerBeat} values per beat.
     */
    public static Folding forInputRate(Network net, List<Integer> pe, List<Integer> simd, int pixelsPerBeat) {
        return forTargetCycles(net, pe, simd, CycleModel.inputCycles(net, pixelsPerBeat));
    }

    /** As {@link #forInputRate}, automatic dimensions meeting {@code targetCycles} per image instead. */
    public static Folding forTargetCycles(Network net, List<Integer> pe, List<Integer> simd, long targetCycles) {
        Folding auto = forTarget(net, targetCycles);
        int n = net.layers().size();
        int[] pes = perLayer(pe, n, "PE");
        int[] simds = perLayer(simd, n, "SIMD");
        List<LayerFolding> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new LayerFolding(pes == null ? auto.layer(i).pe() : pes[i], simds == null ? auto.layer(i).simd() : simds[i]));
        }
        return new Folding(out).checkedAgainst(net);
    }

    private static int[] perLayer(List<Integer> values, int layers, String what) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        String listed = values.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        if (values.size() != 1 && values.size() != layers) {
            throw new BcflowException(what + " " + listed + ": give one value, or one per layer (" + layers + ")");
        }
        int[] out = new int[layers];
        for (int i = 0; i < layers; i++) {
            out[i] = values.get(values.size() == 1 ? 0 : i);
            if (out[i] < 1) {
                throw new BcflowException(what + " " + listed + ": values must be at least 1");
            }
        }
        return out;
    }

    /**
     * The cheapest folding (fewest PE * SIMD lanes per layer) whose layers keep pace with the
     * input stream, so that the input rate alone sets the throughput. Ties prefer fewer block RAMs
     * (weights, and the first layer's image RAM), then more SIMD lanes (fewer accumulators and ROM
     * words).
     */
    public static Folding auto(Network net, int pixelsPerBeat) {
        return forTarget(net, CycleModel.inputCycles(net, pixelsPerBeat));
    }

    /**
     * The cheapest folding whose every layer takes at most {@code target} cycles per image (a layer
     * that cannot, even fully parallel, gets the fully parallel folding).
     */
    public static Folding forTarget(Network net, long target) {
        HardwareSupport.requireGeneratable(net, null);
        List<LayerFolding> out = new ArrayList<>();
        for (int i = 0; i < net.layers().size(); i++) {
            out.add(cheapest(net, i, target));
        }
        return new Folding(out);
    }

    /**
     * Cycles weight layer i is busy per image at folding f: a dense layer's period
     * ({@link CycleModel#layerCycles}), a conv layer's NF * SF per output pixel.
     */
    public static long layerCycles(Network net, int i, LayerFolding f) {
        DenseLayer l = net.layer(i);
        int positions = StreamLayout.positions(net, i);
        return positions == 0 ? CycleModel.layerCycles(l, f) : (long) positions * (l.outputs() / f.pe()) * (l.inputs() / f.simd());
    }

    /**
     * The SIMD values the automatic folding gives weight layer i: divisors of its inputs; for a
     * dense layer after a conv layer, those dividing or a multiple of the map's channels; for a conv
     * layer on a map of several channels, divisors of the channels (its window then comes from a
     * buffer in block RAM rather than registers: {@link StreamLayout#buffered}).
     */
    public static int[] simdChoices(Network net, int i) {
        int channels = StreamLayout.inChannelsOfConv(net, i);
        if (channels > 1) {
            return Divisors.of(channels);
        }
        int[] d = Divisors.of(net.layer(i).inputs());
        int pixel = i == StreamLayout.firstDense(net) ? StreamLayout.pixelBeforeFirstDense(net) : 0;
        return pixel == 0 ? d : java.util.Arrays.stream(d).filter(s -> s % pixel == 0 || pixel % s == 0).toArray();
    }

    private static LayerFolding cheapest(Network net, int i, long targetCycles) {
        DenseLayer l = net.layer(i);
        LayerFolding best = null;
        int[] simds = simdChoices(net, i);
        for (int pe : Divisors.of(l.outputs())) {
            for (int simd : simds) {
                LayerFolding f = new LayerFolding(pe, simd);
                if (layerCycles(net, i, f) > targetCycles) {
                    continue;
                }
                if (best == null || lanes(f) < lanes(best)
                        || lanes(f) == lanes(best) && blockRams(net, i, f) < blockRams(net, i, best)
                        || lanes(f) == lanes(best) && blockRams(net, i, f) == blockRams(net, i, best) && f.simd() > best.simd()) {
                    best = f;
                }
            }
        }
        return best != null ? best : new LayerFolding(l.outputs(), simds[simds.length - 1]);
    }

    /**
     * iCE40 blocks of the layer's weight ROM (when worth a block RAM) and of its input RAM: an
     * MLP's first layer's image RAM, a conv layer's window buffer and two-bank input RAM, a dense
     * layer's after a conv layer.
     */
    private static int blockRams(Network net, int i, LayerFolding f) {
        DenseLayer l = net.layer(i);
        int sf = l.inputs() / f.simd();
        int depth = l.outputs() / f.pe() * sf;
        int blocks = BlockRam.worthIt(depth, lanesInt(f)) ? BlockRam.ice40Blocks(depth, lanesInt(f)) : 0;
        int channels = StreamLayout.inChannelsOfConv(net, i);
        boolean bankedInput = net.isMlp() ? i == 0 && sf >= InputBuffer.RAM_MIN_FOLDS
                : i == StreamLayout.firstDense(net) || StreamLayout.buffered(channels, f.simd());
        if (bankedInput) {
            blocks += BlockRam.ice40Blocks(InputBuffer.ramDepth(sf), f.simd() * l.inputBits());
        }
        if (channels > 0 && StreamLayout.buffered(channels, f.simd())) {
            Design.Conv c = StreamLayout.convs(net, null).get(i);
            int bits = StreamLayout.bufferDepthBits(c.k(), new org.bcflow.core.FeatureMap(channels, c.inHeight(), c.inWidth()),
                    f.simd(), l.inputBits());
            if (BlockRam.worthItForRam(1 << bits, f.simd() * l.inputBits())) {
                blocks += BlockRam.ice40Blocks(1 << bits, f.simd() * l.inputBits());
            }
        }
        return blocks;
    }

    private static int lanesInt(LayerFolding f) {
        return f.pe() * f.simd();
    }

    private static long lanes(LayerFolding f) {
        return (long) f.pe() * f.simd();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (LayerFolding f : layers) {
            sb.append(sb.length() == 0 ? "" : ",").append(f);
        }
        return sb.toString();
    }
}
