package org.bcflow.rtlgen;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.BcflowException;
import org.bcflow.core.FileErrors;
import org.bcflow.core.InputQuantizer;
import org.bcflow.core.Json;

/**
 * What the generator built, as written to {@code design.json} beside the Verilog (snake_case keys,
 * schema docs/schemas/design.schema.json): everything a simulator or synthesis run needs to drive
 * the design without re-reading the generator.
 *
 * @param generator     generator name and version
 * @param top           top module name
 * @param networkHash   hash of the network the design implements
 * @param networkFile   the network file, relative to the design folder
 * @param inputs        input values per image
 * @param inputBits     bits per input value
 * @param pixelsPerBeat input values per s_axis beat
 * @param ramInput      the first layer keeps the image in a two-bank RAM (else in registers)
 * @param classes       number of scores
 * @param scoreBits     bits per signed score on m_axis_tuser
 * @param tdataBits     width of m_axis_tdata (the class index)
 * @param layers        per-layer geometry and widths
 * @param intervalCycles predicted cycles between images in steady state
 * @param latencyCycles predicted cycles from an image's first input beat to its output
 * @param verilogFiles  Verilog sources, relative to the design folder, top last
 * @param memories      every ROM and RAM, where it goes and how full its iCE40 blocks are
 * @param scoresPort    the top has m_axis_tuser with the scores (else only the class leaves the chip)
 * @param inputQuantizer null, or the comparators (bc_inquant) that turn each inputBits-bit value
 *                      into the first layer's code; absent from design.json when null
 */
public record Design(String generator, String top, String networkHash, String networkFile, int inputs, int inputBits,
        int pixelsPerBeat, boolean ramInput, int classes, int scoreBits, int tdataBits, List<Layer> layers, long intervalCycles,
        long latencyCycles, List<String> verilogFiles, List<Memory> memories, boolean scoresPort,
        @JsonInclude(JsonInclude.Include.NON_NULL) InputQuantizer inputQuantizer) {

    public static final String FILE = "design.json";

    /**
     * One weight layer of the design (a dense layer, or a conv layer's matrix with {@code conv} set).
     * {@code cycles}: its busy cycles per image (a conv layer: NF*SF per output pixel).
     */
    public record Layer(String name, int inputs, int outputs, int pe, int simd, int inputBits, int accBits, int mulBits,
            int addBits, int sumBits, int outBits, int shift, long cycles, List<String> romFiles, boolean weightsInBlockRam,
            boolean constantsInBlockRam, int thresholdBits, Conv conv) {
        /** Batch norm as thresholds (romFiles: weights, thresholds) rather than multiply-add (weights, mul, add). */
        public boolean thresholds() {
            return thresholdBits > 0;
        }

        /** Neuron folds: NF = MH / PE. */
        public int nf() {
            return outputs / pe;
        }

        /** Input folds: SF = MW / SIMD. */
        public int sf() {
            return inputs / simd;
        }

        /** Bits of a weight ROM word: one per PE x SIMD lane. */
        public int weightWordBits() {
            return pe * simd;
        }

        /** Bits of one PE lane of a threshold ROM word (0 for multiply-add layers). */
        public int thresholdLaneBits() {
            return thresholds() ? thresholdLaneBits(outBits, thresholdBits) : 0;
        }

        /** The negate flag and 2^k - 1 thresholds of {@code thresholdBits} each, for k output bits. */
        public static int thresholdLaneBits(int outBits, int thresholdBits) {
            return 1 + ((1 << outBits) - 1) * thresholdBits;
        }
    }

    /**
     * The conv layer around a weight layer's matrix (the matrix has k*k*inChannels columns): a
     * sliding-window unit over the input map before it and, when {@code poolSize} > 0, a max-pool
     * (bc_pool, the network's layer {@code pool}) after it. With {@code buffered} the window unit is
     * bc_swu_buf (the map's pixels as SIMD-value words in a buffer of 2^bufferDepthBits words, the
     * window read out word by word into the matrix's two-bank input RAM); otherwise bc_swu (K-1 rows
     * of whole pixels in a line buffer, the whole window in registers, handed over at once). The
     * pool keeps a row of partial maxima, in block RAM when {@code poolInBlockRam}.
     */
    public record Conv(int k, int pad, int inHeight, int inWidth, int inChannels, int outHeight, int outWidth,
            String pool, int poolSize, boolean buffered, int bufferDepthBits, boolean bufferInBlockRam, boolean poolInBlockRam) {
        /** Output pixels per image (before the pool). */
        public int positions() {
            return outHeight * outWidth;
        }

        /** Pixels per image after the pool. */
        public int pooledPositions() {
            return poolSize > 0 ? positions() / (poolSize * poolSize) : positions();
        }
    }

    /**
     * One memory of the design.
     *
     * @param name       what it holds
     * @param depth      words
     * @param width      bits per word
     * @param blockRam   in block RAM (else in logic)
     * @param ice40Blocks SB_RAM40_4K blocks it takes in block RAM (also shown for logic: what it would take)
     * @param fill       fraction of those blocks' bits it uses
     */
    public record Memory(String name, int depth, int width, boolean blockRam, int ice40Blocks, double fill) {
        static Memory of(String name, int depth, int width, boolean blockRam) {
            return new Memory(name, depth, width, blockRam, BlockRam.ice40Blocks(depth, width), BlockRam.fill(depth, width));
        }

        /** Constant contents (a layer's weights, thresholds, multipliers or offsets, named so by the generator); else written. */
        public boolean rom() {
            return name.endsWith(" weights") || name.endsWith(" thresholds") || name.endsWith(" multipliers")
                    || name.endsWith(" offsets");
        }

        public long bits() {
            return (long) depth * width;
        }
    }

    /** Bits of each value bc_input gathers: the first layer's input width (the quantizer's codes, if any). */
    public int firstLayerInputBits() {
        return layers.get(0).inputBits();
    }

    /** Block RAMs of the memories placed in block RAM. */
    public int ice40Blocks() {
        return memories.stream().filter(Memory::blockRam).mapToInt(Memory::ice40Blocks).sum();
    }

    public void write(Path folder) {
        AtomicFiles.writeString(folder.resolve(FILE), Json.text(this));
    }

    public static Design read(Path folder) {
        Path file = folder.resolve(FILE);
        try {
            return Json.MAPPER.readValue(Files.readAllBytes(file), Design.class);
        } catch (NoSuchFileException e) {
            throw new BcflowException(folder + " is not a generated RTL folder (no " + FILE + "; make one with bcflow rtl)");
        } catch (JsonProcessingException e) {
            // a design.json of an older bcflow (camelCase keys) lands here too: rtl writes it anew
            throw new BcflowException(file + ": unreadable (" + e.getOriginalMessage().lines().findFirst().orElse("")
                    + "); generate the folder again with bcflow rtl");
        } catch (IOException e) {
            throw FileErrors.failure("cannot read", file, e);
        }
    }
}
