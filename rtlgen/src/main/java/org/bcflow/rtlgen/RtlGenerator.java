package org.bcflow.rtlgen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.HardwareSupport;
import org.bcflow.core.Network;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.RomPacking;
import org.bcflow.core.Thresholds;
import org.bcflow.core.Widths;

/**
 * Generates the Verilog of a network: the hand-written primitives from hw/, a thin generated top
 * that wires them, the ROM files of every layer, a copy of the network file and
 * {@code design.json}. The folder is written whole or not at all.
 */
public final class RtlGenerator {
    public static final String VERSION = "bcflow-rtlgen 0.1.0";
    static final List<String> PRIMITIVES = List.of("bc_input.v", "bc_rom.v", "bc_addtree.v", "bc_inbuf.v", "bc_requant.v",
            "bc_outq.v", "bc_dense.v", "bc_argmax.v");
    /** The streaming units a network with conv layers needs besides. */
    /** The input quantizer's comparators, in the design only when the network has one. */
    static final String INPUT_QUANTIZER = "bc_inquant.v";
    static final List<String> STREAM_PRIMITIVES = List.of("bc_swu.v", "bc_swu_buf.v", "bc_pool.v", "bc_dwc.v");
    static final String NETWORK_FILE = "network.bcnet";

    private final String top;
    private final int pixelsPerBeat;
    private final InputBuffer inputBuffer;
    private final boolean scores;
    private final boolean embedRoms;
    private final BatchNormStyle batchNorm;

    /** The same generator with the first layer's input kept as given (default AUTO). */
    public RtlGenerator withInputBuffer(InputBuffer buffer) {
        return new RtlGenerator(top, pixelsPerBeat, buffer, scores, embedRoms, batchNorm);
    }

    /** The same generator with or without the scores port m_axis_tuser (default with). */
    public RtlGenerator withScores(boolean withScores) {
        return new RtlGenerator(top, pixelsPerBeat, inputBuffer, withScores, embedRoms, batchNorm);
    }

    /**
     * The same generator with the ROM contents inside the Verilog (bc_rom.v) rather than read from
     * the .mem files, which are still written for other tools.
     */
    public RtlGenerator withEmbeddedRoms(boolean embed) {
        return new RtlGenerator(top, pixelsPerBeat, inputBuffer, scores, embed, batchNorm);
    }

    /** The same generator with hidden layers' batch norm as thresholds where they apply, or as multiply-add (default thresholds). */
    public RtlGenerator withBatchNorm(BatchNormStyle style) {
        return new RtlGenerator(top, pixelsPerBeat, inputBuffer, scores, embedRoms, style);
    }

    public RtlGenerator(String top, int pixelsPerBeat) {
        this(top, pixelsPerBeat, InputBuffer.AUTO, true, false, BatchNormStyle.THRESHOLDS);
    }

    private RtlGenerator(String top, int pixelsPerBeat, InputBuffer inputBuffer,
            boolean scores, boolean embedRoms, BatchNormStyle batchNorm) {
        VerilogNames.checkTop(top);
        if (pixelsPerBeat < 1) {
            throw new org.bcflow.core.BcflowException("pixels per beat must be at least 1, got " + pixelsPerBeat);
        }
        this.top = top;
        this.pixelsPerBeat = pixelsPerBeat;
        this.inputBuffer = inputBuffer;
        this.scores = scores;
        this.embedRoms = embedRoms;
        this.batchNorm = batchNorm;
    }

    /** The design's geometry and widths, without writing anything. */
    public Design plan(Network net, Folding folding) {
        HardwareSupport.requireGeneratable(net, null);
        folding.checkedAgainst(net);
        if (batchNorm == BatchNormStyle.MULADD) {
            net.layers().stream().filter(DenseLayer::hasThresholds).findFirst().ifPresent(l -> {
                throw new org.bcflow.core.BcflowException("layer " + l.name() + " requantizes by explicit thresholds (an imported"
                        + " activation), which --batchnorm muladd cannot build; use --batchnorm thresholds");
            });
        }
        boolean streams = !net.isMlp();
        int beat = pixelsPerBeat;
        if (streams) {
            // a conv network's input is a stream of pixels: one pixel (all its channels) per beat
            beat = net.input().channels();
            if (pixelsPerBeat != 1 && pixelsPerBeat != beat) {
                throw new org.bcflow.core.BcflowException("a network on a " + net.input() + " map takes one pixel of "
                        + beat + " values per beat; pixels per beat " + pixelsPerBeat + " cannot be");
            }
        }
        if (net.inputSize() % beat != 0) {
            throw new org.bcflow.core.BcflowException("pixels per beat " + beat + " does not divide the "
                    + net.inputSize() + " inputs");
        }
        boolean ramInput = !streams && inputBuffer.useRam(net, folding.layer(0), beat);
        List<Design.Layer> layers = new ArrayList<>();
        List<Design.Memory> memories = new ArrayList<>();
        if (ramInput) {
            int simd = folding.layer(0).simd();
            int depth = InputBuffer.ramDepth(net.inputSize() / simd);
            memories.add(Design.Memory.of(net.layer(0).name() + " input (two banks)", depth, simd * net.layer(0).inputBits(), true));
        }
        List<Design.Conv> convs = streams ? StreamLayout.convs(net, folding) : null;
        int firstDense = StreamLayout.firstDense(net);
        for (int i = 0; i < net.layers().size(); i++) {
            DenseLayer l = net.layer(i);
            Widths w = net.widths(i);
            LayerFolding f = folding.layer(i);
            Design.Conv conv = convs == null ? null : convs.get(i);
            Design.Memory window = conv == null ? null : StreamLayout.windowMemory(l.name(), conv, f.simd(), l.inputBits());
            if (window != null) {
                memories.add(window);
            }
            if (conv != null && conv.buffered() || i == firstDense && i > 0) {
                memories.add(Design.Memory.of(l.name() + " input (two banks)", InputBuffer.ramDepth(l.inputs() / f.simd()),
                        f.simd() * l.inputBits(), true));
            }
            // The RTL sign-extends everything to the sum width by replication, which needs it wider.
            int sum = Math.max(w.sum(), Math.max(Math.max(w.acc(), w.mul()), Math.max(w.add(), w.out() + 1)) + 1);
            int nf = l.outputs() / f.pe();
            int wdepth = nf * (l.inputs() / f.simd());
            boolean weightsBlock = BlockRam.worthIt(wdepth, f.pe() * f.simd());
            memories.add(Design.Memory.of(l.name() + " weights", wdepth, f.pe() * f.simd(), weightsBlock));
            boolean thresholds = l.hasThresholds() || batchNorm.thresholds(net.isLast(i), w.out());
            int thBits = thresholds ? Thresholds.bits(l) : 0;
            List<String> roms;
            boolean constBlock;
            if (thresholds) {
                int width = f.pe() * Design.Layer.thresholdLaneBits(w.out(), thBits);
                constBlock = BlockRam.worthIt(nf, width);
                memories.add(Design.Memory.of(l.name() + " thresholds", nf, width, constBlock));
                roms = List.of(l.name() + "_weights.mem", l.name() + "_thresholds.mem");
            } else {
                constBlock = BlockRam.worthIt(nf, f.pe() * w.mul()) && BlockRam.worthIt(nf, f.pe() * w.add());
                memories.add(Design.Memory.of(l.name() + " multipliers", nf, f.pe() * w.mul(), constBlock));
                memories.add(Design.Memory.of(l.name() + " offsets", nf, f.pe() * w.add(), constBlock));
                roms = List.of(l.name() + "_weights.mem", l.name() + "_mul.mem", l.name() + "_add.mem");
            }
            if (conv != null && conv.poolSize() > 0) {
                memories.add(StreamLayout.poolMemory(conv, l.outputs(), w.out()));
            }
            long cycles = conv == null ? CycleModel.layerCycles(l, f) : (long) conv.positions() * nf * (l.inputs() / f.simd());
            layers.add(new Design.Layer(l.name(), l.inputs(), l.outputs(), f.pe(), f.simd(), l.inputBits(), w.acc(),
                    w.mul(), w.add(), sum, w.out(), l.shift(), cycles, roms, weightsBlock, constBlock, thBits, conv));
        }
        List<String> sources = new ArrayList<>(PRIMITIVES);
        if (net.quantizer() != null) {
            sources.add(INPUT_QUANTIZER);
        }
        if (streams) {
            sources.addAll(STREAM_PRIMITIVES);
        }
        sources.add(top + ".v");
        int tdataBits = Math.max(8, (Widths.unsignedBits(net.classes() - 1) + 7) / 8 * 8);
        long interval = streams ? 0 : CycleModel.interval(net, folding, beat);
        long latency = streams ? 0 : CycleModel.latency(net, folding, beat, ramInput);
        Design design = new Design(VERSION, top, net.hash(), NETWORK_FILE, net.inputSize(), net.inputBits(), beat,
                ramInput, net.classes(), net.widths(net.layers().size() - 1).out(), tdataBits, layers, interval, latency,
                sources, memories, scores, net.quantizer());
        if (streams) {
            long[] il = StreamModel.of(design).intervalAndLatency();
            design = new Design(VERSION, top, net.hash(), NETWORK_FILE, net.inputSize(), net.inputBits(), beat, ramInput,
                    net.classes(), design.scoreBits(), tdataBits, layers, il[0], il[1], sources, memories, scores, net.quantizer());
        }
        // The top is small: printing it once here refuses any name it cannot declare before a file is written.
        new TopEmitter(net, design).emit();
        return design;
    }

    /** Writes the design folder (whole, or not at all) and returns its description. */
    public Design generate(Network net, Folding folding, Path folder) {
        Design design = plan(net, folding);
        AtomicFiles.writeFolder(folder, dir -> write(net, design, dir));
        return design;
    }

    /** Writes the design's files into {@code dir}, an existing empty folder, and returns its description. */
    public Design generateInto(Network net, Folding folding, Path dir) {
        Design design = plan(net, folding);
        try {
            write(net, design, dir);
        } catch (IOException e) {
            throw org.bcflow.core.FileErrors.failure("cannot write", dir, e);
        }
        return design;
    }

    private void write(Network net, Design design, Path dir) throws IOException {
        List<RomImage> roms = roms(net, design);
        for (String primitive : design.verilogFiles().subList(0, design.verilogFiles().size() - 1)) {
            if (embedRoms && primitive.equals("bc_rom.v")) {
                Files.writeString(dir.resolve(primitive), EmbeddedRomWriter.write(roms, blockRamByFile(design), VERSION));
            } else {
                copyPrimitive(primitive, dir.resolve(primitive));
            }
        }
        for (RomImage rom : roms) {
            rom.writeAll(dir);
        }
        Files.writeString(dir.resolve(top + ".v"), new TopEmitter(net, design).emit());
        NetworkFile.write(net, dir.resolve(NETWORK_FILE));
        design.write(dir);
    }

    /** The ROM contents of every layer: weights, multipliers, offsets. */
    public static List<RomImage> roms(Network net, Design design) {
        List<RomImage> out = new ArrayList<>();
        for (int i = 0; i < net.layers().size(); i++) {
            DenseLayer l = net.layer(i);
            Design.Layer d = design.layers().get(i);
            out.add(new RomImage(l.name() + "_weights", RomPacking.weights(l, d.pe(), d.simd()),
                    l.name() + " weights, PE=" + d.pe() + " SIMD=" + d.simd() + ", word nf*SF+sf bit p*SIMD+s = w[nf*PE+p][sf*SIMD+s], 1 = +1"));
            if (d.thresholds()) {
                int tw = d.thresholdLaneBits();
                out.add(new RomImage(l.name() + "_thresholds",
                        RomPacking.thresholds(Thresholds.of(l, d.outBits()), d.pe(), d.thresholdBits()),
                        l.name() + " batch-norm thresholds, PE=" + d.pe() + ", word nf lane p at [p*" + tw + " +: " + tw
                                + "] = neuron nf*PE+p: bit 0 negate acc, t_j at [1+(j-1)*" + d.thresholdBits() + " +: "
                                + d.thresholdBits() + "], two's complement; y = #{j : (negate ? -acc : acc) >= t_j}"));
                continue;
            }
            out.add(constants(l.name() + "_mul", l.mul(), d.pe(), d.mulBits(), l.name() + " batch-norm multipliers"));
            out.add(constants(l.name() + "_add", l.add(), d.pe(), d.addBits(), l.name() + " batch-norm offsets"));
        }
        return out;
    }

    /** Each ROM file of the design to whether it goes to block RAM (weights and constants choose apart). */
    private static java.util.Map<String, Boolean> blockRamByFile(Design design) {
        java.util.Map<String, Boolean> out = new java.util.HashMap<>();
        for (Design.Layer l : design.layers()) {
            for (int r = 0; r < l.romFiles().size(); r++) {
                out.put(l.romFiles().get(r), r == 0 ? l.weightsInBlockRam() : l.constantsInBlockRam());
            }
        }
        return out;
    }

    private static RomImage constants(String name, long[] values, int pe, int width, String about) {
        return new RomImage(name, RomPacking.constants(values, pe, width),
                about + ", PE=" + pe + ", word nf bits [p*" + width + " +: " + width + "] = neuron nf*PE+p, two's complement");
    }

    private static void copyPrimitive(String name, Path target) throws IOException {
        try (InputStream in = RtlGenerator.class.getResourceAsStream("/org/bcflow/hw/" + name)) {
            if (in == null) {
                throw new IllegalStateException("hw primitive " + name + " missing from the class path");
            }
            Files.copy(in, target);
        }
    }
}
