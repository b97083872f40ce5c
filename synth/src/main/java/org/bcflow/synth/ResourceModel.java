package org.bcflow.synth;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.bcflow.rtlgen.CycleModel;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.RomImage;
import org.bcflow.rtlgen.RtlGenerator;

/**
 * Analytic iCE40 resource estimate of a generated design, from {@code design.json} and the ROM
 * files, following what Yosys's {@code synth_ice40} makes of the hand-written RTL in hw/:
 *
 * <ul>
 *   <li><b>Block RAM (exact)</b>: every ROM of two or more words becomes SB_RAM40_4K blocks after
 *       Yosys drops its constant bit lanes; a ROM of depth D and W varying bits takes
 *       ceil(W/w) * ceil(D/d) blocks for the cheapest of 256x16, 512x8, 1024x4, 2048x2. A one-word
 *       ROM (NF = 1 for the constants, NF * SF = 1 for the weights) becomes constants.</li>
 *   <li><b>Dot product</b>: PE * SIMD add-or-subtract steps of ACC_BITS, one LUT4 and one SB_CARRY
 *       per bit; the accumulator PE * ACC_BITS more.</li>
 *   <li><b>Multiply-add</b> {@code acc * mul + add} (no multiplier blocks on iCE40 HX): Yosys
 *       turns it into partial-product bits reduced by full adders (2 LUTs each) and one final
 *       carry chain of SUM_BITS. With a variable multiplier (NF &gt; 1) there are
 *       sum_{j &lt; MUL_BITS} (SUM_BITS - j) partial-product bits, each an AND gate; with a constant
 *       one (NF = 1) only the rows of its one bits, without AND gates.</li>
 *   <li>The input-fold rotation of bc_dense's input copy: one 2:1 mux LUT per bit when SF &gt; 1;
 *       flip-flops for every register bit that reaches an output (the lowest SHIFT bits of the
 *       sum do not).</li>
 *   <li>bc_argmax: C - 1 comparators and winner multiplexers of SCORE_BITS, each winner registered
 *       (a comparator tree), plus the C registered scores.</li>
 * </ul>
 *
 * The coefficients were calibrated against Yosys 0.23 (docs/synthesis.md, docs/results.md).
 */
public final class ResourceModel {
    // LUT coefficients: non-negative least squares over the per-layer LUT4 counts Yosys 0.23
    // synth_ice40 gives for 33 layers of 16 designs (8 random networks: 784-128-10 at three
    // foldings, 784-64-10, 256-64-32-10, 128-32-10, 64-32-10, 64-16-10; 8 trained MNIST networks:
    // 784-128-10 and 784-144-10 with 2- and 4-bit layers, thresholds and multiply-add, PE 2 to 10;
    // block and logic ROMs, RAM and register inputs), each layer weighed by its relative error;
    // see docs/synthesis.md. The cost of a ROM of at most 16 words is not fitted but measured on
    // the primitive alone (one LUT4 per varying bit, docs/results.md).
    /** LUT4 per dot-product bit (PE * SIMD * ACC_BITS + PE * ACC_BITS): +-x selection, adder tree, accumulator. */
    static final double DOT_LUTS_PER_BIT = 1.22;
    static final double DOT_CARRIES_PER_BIT = 0.67;
    /** LUT4 per partial-product bit of a multiply-add whose multiplier ROM has more than 4 words. */
    static final double MACC_LUTS_PER_PP = 2.35;
    /** The same for 2 to 4 words: Yosys turns it into a few constant multipliers and a multiplexer. */
    static final double SMALL_MACC_LUTS_PER_PP = 0.87;
    /** LUT4 per partial-product bit of a constant multiply-add (NF = 1): the one bits of each constant. */
    static final double CONST_MACC_LUTS_PER_PP = 1.05;
    /** LUT4 per bit of the input-fold rotation multiplexer. */
    static final double MUX_LUTS_PER_BIT = 0.55;
    /** SB_CARRY per partial-product bit of a variable multiply-add, beyond its final SUM_BITS chain. */
    static final double MACC_CARRY_PER_PP = 0.32;
    /** LUT4 per node (16-word leaf or 2:1 multiplexer) of each varying bit of a ROM in logic over 16 words. */
    static final double LOGIC_ROM_LUTS_PER_NODE = 0.94;
    /** LUT4 per varying bit of a ROM in logic of at most 16 words: one LUT4 is a 16-word ROM bit. */
    static final double SMALL_ROM_LUTS_PER_BIT = 1.0;
    /** LUT4 per bit of the threshold comparisons, PE * 2^k * THRESHOLD_BITS (2^k - 1 compares and the negation). */
    static final double COMPARE_LUTS_PER_BIT = 1.28;
    /** Control LUTs per dense layer (counters, handshakes, flags, clamp). */
    static final int LAYER_CONTROL_LUTS = 101;

    private ResourceModel() {
    }

    /**
     * One estimate, whole design or one part of it: written the same way wherever a report holds one
     * (synth.json's model and its parts, report.json's fit), logic cells included.
     */
    public record Estimate(String part, long luts, long flipFlops, long carries, int blockRams) {
        Estimate plus(Estimate o) {
            return new Estimate(part, luts + o.luts, flipFlops + o.flipFlops, carries + o.carries, blockRams + o.blockRams);
        }

        @JsonProperty("logic_cells")
        public long logicCells() {
            return ResourceModel.logicCells(luts, flipFlops);
        }
    }

    /**
     * Share of the flip-flops (or LUTs, whichever are fewer) that nextpnr cannot pack with a partner
     * into a logic cell: (logic cells - LUT4) / FF over 12 placed designs of this RTL
     * (0.37..0.64, median 0.48; thresholds and multiply-add, PE 2 to 8).
     */
    static final double UNPACKED_SHARE = 0.48;

    /** iCE40 logic cells for this many LUT4 and flip-flops: a LUT and a flip-flop share a cell where they can. */
    public static long logicCells(long luts, long flipFlops) {
        return Math.max(luts, flipFlops) + Math.round(UNPACKED_SHARE * Math.min(luts, flipFlops));
    }

    /** The whole-design estimate, first, then one per part (input, each layer, argmax). */
    public static List<Estimate> estimate(Design d, Path rtlDir) {
        return estimate(d, (file, width) -> RomShape.read(rtlDir.resolve(file), width));
    }

    /** The same for ROM contents in memory, by ROM file name (what {@link RtlGenerator#roms} gives). */
    public static List<Estimate> estimate(Design d, List<RomImage> roms) {
        Map<String, RomImage> byFile = new HashMap<>();
        roms.forEach(r -> byFile.put(r.memFileName(), r));
        return estimate(d, (file, width) -> RomShape.of(file, width, byFile.get(file).words()));
    }

    /**
     * bc_inquant: per value of a beat, one comparison with a constant per threshold (two bits per
     * LUT4 along a carry chain) and the count of those passed; no registers. Counted, not fitted.
     */
    private static Estimate inputQuantizer(Design d) {
        int pix = d.pixelsPerBeat();
        int t = d.inputQuantizer().thresholds().length;
        int bits = d.inputQuantizer().rawBits();
        long compares = (long) pix * t * ((bits + 2) / 2);
        long count = t > 1 ? (long) pix * d.firstLayerInputBits() * 2 : 0;
        return new Estimate("input quantizer", compares + count, 0, (long) pix * t * ((bits + 2) / 2), 0);
    }

    private static List<Estimate> estimate(Design d, BiFunction<String, Integer, RomShape> rom) {
        List<Estimate> parts = new ArrayList<>();
        boolean streams = d.layers().get(0).conv() != null;  // one pixel per beat: bc_input passes it through
        int group = streams ? d.pixelsPerBeat() : d.ramInput() ? d.layers().get(0).simd() : d.inputs();
        int beats = group / d.pixelsPerBeat();
        int cnt = beats > 1 ? CycleModel.addressBits(beats) : 1;
        int inputRams = 0;
        if (d.ramInput()) {
            Design.Layer first = d.layers().get(0);
            inputRams = org.bcflow.rtlgen.BlockRam.ice40Blocks(org.bcflow.rtlgen.InputBuffer.ramDepth(first.inputs() / first.simd()),
                    first.simd() * first.inputBits());
        }
        long kept = beats > 1 ? (long) (group - d.pixelsPerBeat()) * d.firstLayerInputBits() + cnt : 0;
        if (d.inputQuantizer() != null) {
            parts.add(inputQuantizer(d));
        }
        parts.add(new Estimate("input", beats > 1 ? 2L * cnt + 4 : 0, kept, beats > 1 ? cnt : 0, inputRams));
        for (int i = 0; i < d.layers().size(); i++) {
            Design.Layer l = d.layers().get(i);
            Design.Layer before = i == 0 ? null : d.layers().get(i - 1);
            Design.Conv c = l.conv();
            boolean words = before != null && before.conv() != null && c == null;  // a dense layer taking a map pixel by pixel
            if (c != null) {
                if (c.buffered() && c.inChannels() != l.simd()) {
                    parts.add(converter(l.name() + " converter", c.inChannels(), l.simd(), l.inputBits()));
                }
                parts.add(c.buffered() ? bufferedWindow(l, c) : window(l, c));
            } else if (words) {
                parts.add(converter(l.name() + " converter", before.outputs(), l.simd(), l.inputBits()));
            }
            boolean ramIn = i == 0 && d.ramInput() || words || c != null && c.buffered();
            Estimate e = layer(l, i == d.layers().size() - 1, ramIn, rom);
            if (ramIn && !(i == 0 && d.ramInput())) {
                e = e.plus(new Estimate(l.name(), 0, 0, 0, org.bcflow.rtlgen.BlockRam.ice40Blocks(
                        org.bcflow.rtlgen.InputBuffer.ramDepth(l.sf()), l.simd() * l.inputBits())));
            }
            if (c != null) {
                e = e.plus(outputQueue(l));
            }
            parts.add(e);
            if (c != null && c.poolSize() > 0) {
                parts.add(pool(l, c));
            }
        }
        int c = d.classes();
        int sb = d.scoreBits();
        long node = 1L + d.tdataBits() + sb;  // {present, index, score}
        parts.add(new Estimate("argmax", (long) (c - 1) * (2L * sb + CycleModel.addressBits(c)) + 4,
                (long) c * sb + treeRegisters(c) * node + d.tdataBits() + org.bcflow.rtlgen.CycleModel.treeLevels(c) + 3,
                (long) (c - 1) * sb, 0));
        Estimate total = new Estimate("total", 0, 0, 0, 0);
        for (Estimate e : parts) {
            total = total.plus(e);
        }
        List<Estimate> out = new ArrayList<>();
        out.add(total);
        out.addAll(parts);
        return out;
    }

    static Estimate layer(Design.Layer l, boolean last, boolean ramInput, BiFunction<String, Integer, RomShape> rom) {
        int pe = l.pe(), simd = l.simd();
        int nf = l.nf(), sf = l.sf();
        RomShape w = rom.apply(l.romFiles().get(0), pe * simd);
        List<RomShape> constants = new ArrayList<>();
        if (l.thresholds()) {
            int tw = l.thresholdLaneBits();
            constants.add(rom.apply(l.romFiles().get(1), pe * tw));
        } else {
            constants.add(rom.apply(l.romFiles().get(1), pe * l.mulBits()));
            constants.add(rom.apply(l.romFiles().get(2), pe * l.addBits()));
        }
        int brams = l.weightsInBlockRam() ? w.ice40Blocks() : 0;
        int sum = l.sumBits();
        int acc = l.accBits();

        long luts = 0, carries = 0;
        long dotBits = (long) pe * simd * acc + (long) pe * acc;  // add/sub steps + accumulator
        luts += Math.round(DOT_LUTS_PER_BIT * dotBits);
        carries += Math.round(DOT_CARRIES_PER_BIT * dotBits);
        if (sf > 1 && !ramInput) {
            luts += Math.round(MUX_LUTS_PER_BIT * l.inputs() * l.inputBits());  // input-fold rotation mux
        }
        long romRegisters = 0;  // output registers of ROMs in logic (block RAMs have their own)
        if (!l.weightsInBlockRam() && !w.constant()) {
            luts += logicRomLuts(w);
            romRegisters += logicRomRegisters(w);
        }
        for (RomShape r : constants) {
            if (l.constantsInBlockRam()) {
                brams += r.ice40Blocks();
            } else if (!r.constant()) {
                luts += logicRomLuts(r);
                romRegisters += logicRomRegisters(r);
            }
        }
        long requantRegisters;
        if (l.thresholds()) {
            // per lane: negate, 2^k - 1 comparisons, and a count of their results
            int t = (1 << l.outBits()) - 1;
            long compareBits = (long) pe * (t + 1) * l.thresholdBits();
            luts += Math.round(COMPARE_LUTS_PER_BIT * compareBits);
            carries += compareBits;
            requantRegisters = (long) pe * l.outBits();
        } else {
            RomShape mul = constants.get(0);
            for (int p = 0; p < pe; p++) {
                if (mul.constant()) {
                    long pp = constantRows(signedLane(mul, 0, p, l.mulBits()), sum);
                    luts += Math.round(CONST_MACC_LUTS_PER_PP * pp);
                    carries += pp > 0 ? sum / 2 : 0;
                } else {
                    long pp = 0;
                    for (int j = 0; j < l.mulBits(); j++) {
                        pp += sum - j;
                    }
                    luts += Math.round((mul.depth() <= 4 ? SMALL_MACC_LUTS_PER_PP : MACC_LUTS_PER_PP) * pp);
                    carries += sum + Math.round(MACC_CARRY_PER_PP * pp);
                }
            }
            requantRegisters = (long) pe * (last ? l.outBits() : sum - l.shift());
        }
        luts += LAYER_CONTROL_LUTS;
        int waddr = CycleModel.addressBits(nf * sf), nfBits = CycleModel.addressBits(nf), sfBits = CycleModel.addressBits(sf);
        carries += waddr + nfBits + sfBits;
        long ffs = (ramInput ? 2L * sfBits + 4 : (long) l.inputs() * l.inputBits())  // RAM pointers or input copy
                + romRegisters
                + (long) simd * l.inputBits()                // registered input fold
                + (long) pe * acc                            // accumulators
                + requantRegisters                           // multiply-add result or threshold count
                + (long) l.outputs() * l.outBits()           // output store
                + (long) pe * treeRegisters(simd) * acc      // adder tree levels (bc_addtree)
                + (long) org.bcflow.rtlgen.CycleModel.treeLevels(simd) * (nfBits + 4)  // control beside the tree
                + waddr + nfBits + sfBits + 8                // control
                + (w.constant() ? 0 : w.varyingBits()) + (long) simd * l.inputBits() + nfBits + 4;  // the second
                                                             // register after the memories, and its control
        return new Estimate(l.name(), luts, ffs, carries, brams);
    }

    // The streaming units of conv layers (hw/rtl/bc_swu*.v, bc_pool.v, bc_dwc.v, bc_outq.v): counted
    // from their registers and multiplexers, with the coefficients below (docs/synthesis.md).
    /** LUT4 per bit per word of a memory in logic read through a multiplexer (a 4:1 multiplexer bit is two LUT4). */
    static final double MUX_LUTS_PER_WORD_BIT = 0.5;
    /** Control LUTs of a window unit (position counters, bounds, availability and address arithmetic). */
    static final int WINDOW_CONTROL_LUTS = 60;
    static final int BUFFERED_WINDOW_CONTROL_LUTS = 180;

    /** bc_swu: the window in registers, K-1 rows of pixels in a line buffer. */
    static Estimate window(Design.Layer l, Design.Conv c) {
        long pixel = (long) c.inChannels() * l.inputBits();
        long windowBits = (long) c.k() * c.k() * pixel;
        long lineBits = (c.k() - 1) * pixel;
        int depth = c.inWidth() + 2 * c.pad();
        long ffs = windowBits + lineBits + 2L * CycleModel.addressBits(depth + 1) + 1;
        long luts = WINDOW_CONTROL_LUTS + pixel;  // counters; the zero of the padding
        int brams = 0;
        if (c.k() > 1 && c.bufferInBlockRam()) {
            brams = org.bcflow.rtlgen.BlockRam.ice40Blocks(depth, (int) lineBits);
        } else if (c.k() > 1) {
            ffs += lineBits * depth;
            luts += Math.round(MUX_LUTS_PER_WORD_BIT * lineBits * depth) + lineBits;  // read multiplexer, write enables
        }
        return new Estimate(l.name() + " window", luts, ffs, 2L * CycleModel.addressBits(depth + 1), brams);
    }

    /** bc_swu_buf: SIMD-value words in a buffer, read by address into a two-word queue. */
    static Estimate bufferedWindow(Design.Layer l, Design.Conv c) {
        int width = l.simd() * l.inputBits();
        int depth = 1 << c.bufferDepthBits();
        long counters = 12L * c.bufferDepthBits() + 40;
        long ffs = counters + 3L * width;  // read register and the two-word queue
        long luts = BUFFERED_WINDOW_CONTROL_LUTS + 2L * width;  // the padding's zero, the queue's read multiplexer
        int brams = 0;
        if (c.bufferInBlockRam()) {
            brams = org.bcflow.rtlgen.BlockRam.ice40Blocks(depth, width);
        } else {
            ffs += (long) depth * width;
            luts += Math.round(MUX_LUTS_PER_WORD_BIT * depth * width) + width;
        }
        return new Estimate(l.name() + " window", luts, ffs, counters / 2, brams);
    }

    /** bc_outq of a streaming layer: its finished vectors, CAP of them (bc_dense STREAM = 1). */
    static Estimate outputQueue(Design.Layer l) {
        long steps = (long) l.nf() * l.sf();
        long latency = steps + CycleModel.DENSE_OVERHEAD + CycleModel.treeLevels(l.simd());
        long cap = latency / steps + 1;
        long bits = (long) l.outputs() * l.outBits();
        return new Estimate(l.name(), Math.round(MUX_LUTS_PER_WORD_BIT * bits * cap) + 12, bits * cap + 12, 8, 0);
    }

    /** bc_pool: the row of partial maxima, the running maximum, two comparisons per channel. */
    static Estimate pool(Design.Layer l, Design.Conv c) {
        long pixel = (long) l.outputs() * l.outBits();
        int columns = c.outWidth() / c.poolSize();
        long ffs = 2 * pixel + 3L * CycleModel.addressBits(columns + 1) + 1;
        long luts = 4 * pixel + 20;
        int brams = 0;
        if (c.poolInBlockRam()) {
            brams = org.bcflow.rtlgen.BlockRam.ice40Blocks(columns, (int) pixel);
        } else {
            ffs += pixel * columns;
            luts += columns > 1 ? Math.round(MUX_LUTS_PER_WORD_BIT * pixel * columns) : 0;
        }
        return new Estimate(c.pool(), luts, ffs, 2 * pixel, brams);
    }

    /** bc_dwc: a split holds one input beat and shifts it out; a gather keeps all but the last beat. */
    static Estimate converter(String name, int in, int out, int bits) {
        if (in == out) {
            return new Estimate(name, 0, 0, 0, 0);
        }
        if (out > in) {
            long kept = (long) (out - in) * bits;
            return new Estimate(name, 8, kept + CycleModel.addressBits(out / in), CycleModel.addressBits(out / in), 0);
        }
        long held = (long) in * bits;
        return new Estimate(name, held + 8, held + CycleModel.addressBits(in / out) + 1, 0, 0);
    }

    /**
     * Output register bits of a ROM in logic: Yosys moves the register of a ROM of at most 4
     * words to its address (a few bits), and keeps the data register of deeper ones.
     */
    static long logicRomRegisters(RomShape rom) {
        return rom.depth() <= 4 ? 0 : rom.varyingBits();
    }

    /** LUT4 of a ROM in logic: per varying bit, one LUT per 16 words and a tree of 2:1 multiplexers joining them. */
    static long logicRomLuts(RomShape rom) {
        if (rom.depth() <= 16) {
            return Math.round(SMALL_ROM_LUTS_PER_BIT * rom.varyingBits());
        }
        double leaves = rom.depth() / 16.0;  // a partly filled last leaf costs its share
        return Math.round(LOGIC_ROM_LUTS_PER_NODE * rom.varyingBits() * (2 * leaves - 1));
    }

    /** Registers of bc_addtree for n terms: per level, one per pair of the level below (padding pairs vanish). */
    static long treeRegisters(int n) {
        long regs = 0;
        for (long width = n; width > 1; width = (width + 1) / 2) {
            regs += (width + 1) / 2;
        }
        return regs;
    }

    /** Partial-product bits of a constant multiplier: for each one bit j of it as a SUM-bit two's complement, SUM - j. */
    static long constantRows(long constant, int sum) {
        long pp = 0;
        for (int j = 0; j < sum; j++) {
            if (((constant >> Math.min(j, 63)) & 1) != 0) {
                pp += sum - j;
            }
        }
        return pp;
    }

    private static long signedLane(RomShape rom, int word, int lane, int width) {
        long v = 0;
        for (int b = 0; b < width; b++) {
            if (rom.bit(word, lane * width + b)) {
                v |= 1L << b;
            }
        }
        if (width < 64 && (v >> (width - 1) & 1) != 0) {
            v -= 1L << width;
        }
        return v;
    }

}
