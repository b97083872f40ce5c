package org.bcflow.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.bcflow.core.tools.ExternalTool;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the self-checking testbench of every hand-written primitive (hw/tb/tb_&lt;primitive&gt;.v)
 * over a sweep of its parameters, under Verilator and under Icarus: each run must print PASS and
 * no FAIL. It also shows that the testbenches can fail (a planted fault in a copy of a primitive)
 * and that the primitives' parameter checks stop elaboration in both simulators.
 */
class PrimitiveTestbenchTest {
    private static final Path RTL = Path.of("..", "hw", "rtl");
    private static final Path TB = Path.of("..", "hw", "tb");
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path tmp;
    private final java.util.concurrent.atomic.AtomicInteger folders = new java.util.concurrent.atomic.AtomicInteger();

    /** One testbench run: the testbench, the primitives it needs, its parameters. */
    record Case(String primitive, List<String> rtl, Map<String, Integer> params) {
        String tb() {
            return "tb_" + primitive;
        }

        int p(String name) {
            return params.get(name);
        }

        @Override
        public String toString() {
            return tb() + " " + params;
        }
    }

    private static Case c(String primitive, List<String> rtl, Object... kv) {
        Map<String, Integer> params = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            params.put((String) kv[i], (Integer) kv[i + 1]);
        }
        return new Case(primitive, rtl, params);
    }

    private static final List<String> ROM = List.of("bc_rom.v");
    private static final List<String> REQUANT = List.of("bc_requant.v", "bc_rom.v");
    private static final List<String> DENSE = List.of("bc_dense.v", "bc_inbuf.v", "bc_requant.v", "bc_rom.v", "bc_addtree.v", "bc_outq.v");

    /** The sweeps: corner sizes (1, non-powers of two, whole folds) and every mode of each primitive. */
    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        out.add(c("bc_rom", ROM, "WIDTH", 16, "DEPTH", 256, "ADDR_BITS", 8, "BLOCK", 1));
        out.add(c("bc_rom", ROM, "WIDTH", 20, "DEPTH", 37, "ADDR_BITS", 6, "BLOCK", 0));
        out.add(c("bc_rom", ROM, "WIDTH", 1, "DEPTH", 1, "ADDR_BITS", 1, "BLOCK", 1));
        out.add(c("bc_rom", ROM, "WIDTH", 72, "DEPTH", 5, "ADDR_BITS", 3, "BLOCK", 0));
        List<String> tree = List.of("bc_addtree.v");
        out.add(c("bc_addtree", tree, "N", 1, "IN_BITS", 8, "W", 10));
        out.add(c("bc_addtree", tree, "N", 2, "IN_BITS", 1, "W", 3));
        out.add(c("bc_addtree", tree, "N", 5, "IN_BITS", 3, "W", 7));
        out.add(c("bc_addtree", tree, "N", 16, "IN_BITS", 8, "W", 13));
        out.add(c("bc_addtree", tree, "N", 17, "IN_BITS", 4, "W", 10));
        List<String> input = List.of("bc_input.v");
        // bc_inquant: 1-bit codes at 128 (Brevitas's bipolar input), 2-bit with a threshold never
        // reached, equal thresholds, odd widths
        List<String> inquant = List.of("bc_inquant.v");
        out.add(c("bc_inquant", inquant, "PIX", 1, "IN_BITS", 8, "OUT_BITS", 1, "BASE", 128, "STEP", 0));
        out.add(c("bc_inquant", inquant, "PIX", 2, "IN_BITS", 8, "OUT_BITS", 2, "BASE", 86, "STEP", 85));
        out.add(c("bc_inquant", inquant, "PIX", 3, "IN_BITS", 5, "OUT_BITS", 3, "BASE", 0, "STEP", 0));
        out.add(c("bc_inquant", inquant, "PIX", 4, "IN_BITS", 3, "OUT_BITS", 2, "BASE", 1, "STEP", 3));
        out.add(c("bc_input", input, "GROUP", 8, "BITS", 8, "PIX", 1));
        out.add(c("bc_input", input, "GROUP", 12, "BITS", 5, "PIX", 3));
        out.add(c("bc_input", input, "GROUP", 4, "BITS", 8, "PIX", 4));
        out.add(c("bc_input", input, "GROUP", 8, "BITS", 1, "PIX", 2));
        out.add(c("bc_input", input, "GROUP", 1, "BITS", 8, "PIX", 1));
        List<String> argmax = List.of("bc_argmax.v");
        out.add(c("bc_argmax", argmax, "C", 10, "SCORE_BITS", 16, "TDATA_BITS", 8));
        out.add(c("bc_argmax", argmax, "C", 1, "SCORE_BITS", 8, "TDATA_BITS", 8));
        out.add(c("bc_argmax", argmax, "C", 2, "SCORE_BITS", 3, "TDATA_BITS", 8));
        out.add(c("bc_argmax", argmax, "C", 7, "SCORE_BITS", 32, "TDATA_BITS", 8));
        out.add(c("bc_argmax", argmax, "C", 16, "SCORE_BITS", 12, "TDATA_BITS", 8));
        List<String> inbuf = List.of("bc_inbuf.v");
        out.add(c("bc_inbuf", inbuf, "MW", 12, "SIMD", 4, "IN_BITS", 8, "RAM_IN", 0, "NF", 2));
        out.add(c("bc_inbuf", inbuf, "MW", 12, "SIMD", 4, "IN_BITS", 8, "RAM_IN", 1, "NF", 2));
        out.add(c("bc_inbuf", inbuf, "MW", 12, "SIMD", 12, "IN_BITS", 8, "RAM_IN", 0, "NF", 1));
        out.add(c("bc_inbuf", inbuf, "MW", 12, "SIMD", 12, "IN_BITS", 8, "RAM_IN", 1, "NF", 3));
        out.add(c("bc_inbuf", inbuf, "MW", 7, "SIMD", 1, "IN_BITS", 3, "RAM_IN", 1, "NF", 1));
        out.add(c("bc_inbuf", inbuf, "MW", 6, "SIMD", 3, "IN_BITS", 1, "RAM_IN", 0, "NF", 3));
        out.add(requant(2, 3, 12, 8, 16, 22, 4, 4, 0, 0, 13, 1));
        out.add(requant(3, 1, 10, 6, 12, 18, 0, 9, 1, 0, 10, 0));
        out.add(requant(2, 3, 12, 8, 16, 22, 4, 2, 0, 1, 13, 1));
        out.add(requant(1, 2, 9, 8, 16, 22, 0, 4, 0, 1, 9, 0));
        out.add(requant(4, 5, 14, 16, 20, 31, 7, 8, 0, 0, 15, 0));
        out.add(dense(12, 6, 2, 4, 3, 8, 4, 0, 0, 0, 1, 0));
        out.add(dense(12, 6, 2, 4, 3, 8, 4, 0, 1, 0, 1, 1));
        out.add(dense(12, 6, 2, 4, 3, 8, 4, 0, 0, 1, 1, 1));
        out.add(dense(12, 6, 2, 4, 3, 8, 9, 1, 0, 0, 0, 0));
        out.add(dense(12, 6, 6, 12, 3, 8, 4, 0, 0, 0, 1, 0));
        out.add(dense(5, 3, 1, 1, 3, 8, 4, 0, 1, 0, 0, 1));
        out.add(dense(12, 6, 3, 3, 1, 5, 2, 0, 0, 1, 0, 0));
        // STREAM = 1, as conv layers are generated (RAM_IN = 0): a vector per step and up to 11 queued; thresholds, up to 2
        out.add(stream(dense(12, 6, 6, 12, 3, 8, 4, 0, 0, 0, 1, 0)));
        out.add(stream(dense(12, 6, 3, 3, 1, 5, 2, 0, 0, 1, 0, 0)));
        // STREAM = 1 with the two-bank input RAM (RAM_IN = 1), as behind bc_swu_buf: the next vector
        // starts with the last step of one, from the other bank; also with the input starving the layer
        out.add(stream(dense(5, 3, 1, 1, 3, 8, 4, 0, 1, 0, 0, 1)));
        out.add(stream(dense(12, 6, 2, 4, 3, 8, 4, 0, 1, 1, 1, 1)));
        out.add(slowInput(stream(dense(12, 6, 2, 4, 3, 8, 4, 0, 1, 1, 1, 1))));
        // bc_swu: every kernel size the generator uses with its paddings, maps as small as the kernel
        // (or smaller, padded up to it), odd and even sides, both line buffers
        out.add(swu(5, 4, 3, 2, 1, 0, 0));
        out.add(swu(4, 5, 1, 8, 2, 0, 1));
        out.add(swu(2, 3, 4, 1, 2, 0, 0));
        out.add(swu(6, 7, 3, 2, 3, 1, 1));
        out.add(swu(3, 8, 1, 8, 3, 1, 0));
        out.add(swu(1, 4, 3, 1, 3, 1, 1));
        out.add(swu(3, 3, 4, 1, 3, 0, 1));
        out.add(swu(7, 5, 1, 2, 3, 0, 0));
        out.add(swu(7, 6, 3, 1, 5, 2, 1));
        out.add(swu(5, 5, 4, 8, 5, 2, 0));
        // bc_swu_buf: kernels 1, 2, 3 (valid and same), 5; maps one kernel high or wide, odd and even
        // sides; one word per pixel (C = SIMD) and 2, 3, 4 words, also a number not dividing the
        // buffer (C/SIMD = 3); buffers of the minimum depth (K-1 rows and K pixels) and of about two
        // images; both memories
        out.add(swuBuf(1, 5, 4, 2, 1, 0, 2, 1, 0));
        out.add(swuBuf(5, 2, 3, 8, 2, 0, 1, 4, 1));
        out.add(swuBuf(4, 3, 2, 1, 2, 0, 2, 5, 0));
        out.add(swuBuf(3, 5, 2, 8, 3, 0, 2, 4, 0));
        out.add(swuBuf(7, 6, 4, 1, 3, 0, 4, 7, 1));
        out.add(swuBuf(4, 5, 6, 2, 3, 1, 3, 7, 0));
        out.add(swuBuf(1, 4, 6, 8, 3, 1, 3, 5, 1));
        // same padding over several rows with a buffer the input can get round: the windows of rows
        // oy < PAD read map row 0 again, so its pixels are still needed after the reader's first
        // pixel has passed them (these fail while bc_swu_buf frees them: the input overwrites them)
        out.add(swuBuf(6, 7, 16, 1, 3, 1, 4, 7, 1));
        out.add(swuBuf(5, 6, 3, 2, 5, 2, 1, 7, 1));
        out.add(swuBuf(6, 5, 4, 8, 5, 2, 2, 7, 0));
        // bc_pool: windows of 1 (a copy), 2 and 3, maps one window high or wide, wide and narrow pixels
        out.add(pool(3, 2, 3, 2, 1));
        out.add(pool(1, 4, 16, 1, 1));
        out.add(pool(2, 6, 16, 2, 2));
        out.add(pool(6, 4, 1, 1, 2));
        out.add(pool(4, 2, 3, 4, 2));
        out.add(pool(3, 3, 3, 4, 3));
        out.add(pool(6, 9, 16, 1, 3));
        // bc_dwc: equal widths, gathering 8 and 3 beats (bc_input), splitting into 2, 3 and 5 parts
        List<String> dwc = List.of("bc_dwc.v", "bc_input.v");
        out.add(c("bc_dwc", dwc, "IN_N", 3, "OUT_N", 3, "BITS", 2));
        out.add(c("bc_dwc", dwc, "IN_N", 1, "OUT_N", 8, "BITS", 2));
        out.add(c("bc_dwc", dwc, "IN_N", 4, "OUT_N", 12, "BITS", 3));
        out.add(c("bc_dwc", dwc, "IN_N", 16, "OUT_N", 8, "BITS", 2));
        out.add(c("bc_dwc", dwc, "IN_N", 9, "OUT_N", 3, "BITS", 4));
        out.add(c("bc_dwc", dwc, "IN_N", 5, "OUT_N", 1, "BITS", 1));
        // bc_outq: one entry, two (a power of two), five (the pointers wrap early)
        List<String> outq = List.of("bc_outq.v");
        out.add(c("bc_outq", outq, "WIDTH", 8, "DEPTH", 1));
        out.add(c("bc_outq", outq, "WIDTH", 1, "DEPTH", 2));
        out.add(c("bc_outq", outq, "WIDTH", 37, "DEPTH", 5));
        return out;
    }

    private static final List<String> SWU_BUF = List.of("bc_swu_buf.v", "bc_outq.v");

    private static Case swuBuf(int h, int w, int ch, int bits, int k, int pad, int simd, int depthBits, int bram) {
        return c("bc_swu_buf", SWU_BUF, "H", h, "W", w, "C", ch, "BITS", bits, "K", k, "PAD", pad, "SIMD", simd,
                "DEPTH_BITS", depthBits, "BRAM", bram);
    }

    private static Case pool(int h, int w, int ch, int bits, int p) {
        return c("bc_pool", List.of("bc_pool.v"), "H", h, "W", w, "C", ch, "BITS", bits, "P", p);
    }

    private static Case swu(int h, int w, int ch, int bits, int k, int pad, int lineBram) {
        return c("bc_swu", List.of("bc_swu.v"), "H", h, "W", w, "C", ch, "BITS", bits, "K", k, "PAD", pad, "LB_BRAM", lineBram);
    }

    private static Case requant(int pe, int nf, int acc, int mul, int add, int sum, int shift, int out, int scores,
            int thresh, int th, int constBram) {
        return c("bc_requant", REQUANT, "PE", pe, "NF", nf, "ACC_BITS", acc, "MUL_BITS", mul, "ADD_BITS", add, "SUM_BITS",
                sum, "SHIFT", shift, "OUT_BITS", out, "SCORES", scores, "THRESH", thresh, "TH_BITS", th, "CONST_BRAM", constBram);
    }

    /** A small layer; the multiply-add widths follow from acc (no wrap-around in the sum). */
    private static Case dense(int mw, int mh, int pe, int simd, int inBits, int acc, int out, int scores, int ramIn,
            int thresh, int weightBram, int constBram) {
        return c("bc_dense", DENSE, "MW", mw, "MH", mh, "PE", pe, "SIMD", simd, "IN_BITS", inBits, "ACC_BITS", acc,
                "MUL_BITS", 8, "ADD_BITS", 12, "SUM_BITS", Math.max(acc + 9, out + 2), "SHIFT", 3, "OUT_BITS", out,
                "SCORES", scores, "RAM_IN", ramIn, "WEIGHT_BRAM", weightBram, "CONST_BRAM", constBram, "THRESH", thresh,
                "TH_BITS", acc + 1);
    }

    /** The same layer with STREAM = 1 (vectors overlap, results queued in bc_outq). */
    private static Case stream(Case dense) {
        Map<String, Integer> params = new LinkedHashMap<>(dense.params());
        params.put("STREAM", 1);
        return new Case(dense.primitive(), dense.rtl(), params);
    }

    /** The same case with its input in a quarter of the cycles (tb_bc_dense SLOW_IN = 1). */
    private static Case slowInput(Case dense) {
        Map<String, Integer> params = new LinkedHashMap<>(dense.params());
        params.put("SLOW_IN", 1);
        return new Case(dense.primitive(), dense.rtl(), params);
    }

    @TestFactory
    Stream<DynamicTest> everyPrimitivePassesItsTestbenchUnderVerilator() {
        VerilatorRequired.check();
        return cases().stream().map(k -> DynamicTest.dynamicTest(k.toString(), () -> assertPasses(verilator(k, null))));
    }

    @TestFactory
    Stream<DynamicTest> everyPrimitivePassesItsTestbenchUnderIcarus() {
        requireIcarus();
        return cases().stream().map(k -> DynamicTest.dynamicTest(k.toString(), () -> assertPasses(icarus(k, null))));
    }

    @Test
    void everyPrimitiveHasATestbenchAndASweep() throws IOException {
        List<String> swept = cases().stream().map(Case::primitive).distinct().sorted().toList();
        try (Stream<Path> files = Files.list(RTL)) {
            List<String> primitives = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".v"))
                    .map(f -> f.substring(0, f.length() - 2)).sorted().toList();
            assertEquals(primitives, swept);
        }
        for (String p : swept) {
            assertTrue(Files.isRegularFile(TB.resolve("tb_" + p + ".v")), p);
        }
    }

    /**
     * The testbenches can fail: a copy of bc_addtree that adds where it should subtract, a requantization
     * that clamps high values to 0, a sliding window whose new column goes in upside down, a max-pool
     * that keeps the smaller value of a row, a split that hands out the highest part first, a queue
     * that counts a push beside a pop as a pop, and a window buffer that reads a window once all but
     * its last pixel is written or hands out the words it reads in the padding instead of zeros,
     * and an input quantizer that compares with {@code >} where the contract says {@code >=}.
     */
    @Test
    void aPlantedFaultMakesTheTestbenchesFail() {
        VerilatorRequired.check();
        requireIcarus();
        Fault addtree = new Fault("bc_addtree.v", "leaf[k] = plus[k] ? x_ext : -x_ext;", "leaf[k] = x_ext;");
        Case tree = cases().stream().filter(k -> k.primitive().equals("bc_addtree") && k.p("N") == 5).findFirst().orElseThrow();
        Case dense = cases().stream().filter(k -> k.primitive().equals("bc_dense")).findFirst().orElseThrow();
        Fault clamp = new Fault("bc_requant.v", "y[t*OUT_BITS +: OUT_BITS] = {OUT_BITS{1'b1}};",
                "y[t*OUT_BITS +: OUT_BITS] = {OUT_BITS{1'b0}};");
        Case requant = cases().stream().filter(k -> k.primitive().equals("bc_requant")).findFirst().orElseThrow();
        Fault flipped = new Fault("bc_swu.v", "<= column[ky*PIXW +: PIXW];", "<= column[(K-1-ky)*PIXW +: PIXW];");
        Case swu = cases().stream().filter(k -> k.primitive().equals("bc_swu") && k.p("K") == 3).findFirst().orElseThrow();
        Fault smaller = new Fault("bc_pool.v", "in_data[c*BITS +: BITS] > run[c*BITS +: BITS]", "in_data[c*BITS +: BITS] < run[c*BITS +: BITS]");
        Case pool = cases().stream().filter(k -> k.primitive().equals("bc_pool") && k.p("P") == 2).findFirst().orElseThrow();
        Fault highest = new Fault("bc_dwc.v", "assign out_data  = held[OW-1:0];", "assign out_data  = held[IN_N*BITS-1 -: OW];");
        Case split = cases().stream().filter(k -> k.primitive().equals("bc_dwc") && k.p("IN_N") > k.p("OUT_N")).findFirst().orElseThrow();
        Fault miscount = new Fault("bc_outq.v", "else if (pop && !push) count <= count - 1'b1;", "else if (pop) count <= count - 1'b1;");
        Case outq = cases().stream().filter(k -> k.primitive().equals("bc_outq") && k.p("DEPTH") > 2).findFirst().orElseThrow();
        Fault early = new Fault("bc_swu_buf.v", "wire available = wp > last_px;", "wire available = wp >= last_px;");
        Case valid = cases().stream().filter(k -> k.primitive().equals("bc_swu_buf") && k.p("K") == 3 && k.p("PAD") == 0).findFirst().orElseThrow();
        Fault strict = new Fault("bc_inquant.v", "assign passed = value >= THRESHOLDS[j*TW +: TW];",
                "assign passed = value > THRESHOLDS[j*TW +: TW];");
        Case inquant = cases().stream().filter(k -> k.primitive().equals("bc_inquant") && k.p("BASE") == 128).findFirst().orElseThrow();
        Fault unpadded = new Fault("bc_swu_buf.v", ".push_data(r_pad ? {XW{1'b0}} : rdata)", ".push_data(rdata)");
        Case same = cases().stream().filter(k -> k.primitive().equals("bc_swu_buf") && k.p("PAD") > 0).findFirst().orElseThrow();
        for (Run r : List.of(verilator(tree, addtree), icarus(tree, addtree), verilator(dense, addtree), icarus(dense, addtree),
                verilator(requant, clamp), icarus(requant, clamp), verilator(swu, flipped), icarus(swu, flipped),
                verilator(pool, smaller), icarus(pool, smaller), verilator(split, highest), icarus(split, highest),
                verilator(outq, miscount), icarus(outq, miscount), verilator(valid, early), icarus(valid, early),
                verilator(same, unpadded), icarus(same, unpadded), verilator(inquant, strict), icarus(inquant, strict))) {
            assertTrue(r.output().contains("FAIL"), r.toString());
            assertFalse(r.output().lines().anyMatch(l -> l.strip().equals("PASS")), r.toString());
        }
    }

    /**
     * The input quantizer with thresholds of 0 (every value passes: an imported model's first
     * thresholds can be) lints clean under -Wall: a constant comparison there failed a fuzz case's build.
     */
    @Test
    void inputQuantizerWithZeroThresholdsLintsClean() throws IOException {
        VerilatorRequired.check();
        Path dir = folder("bc_inquant-zero", List.of("bc_inquant.v"), null);
        for (String thresholds : List.of("{9'd256, 9'd100, 9'd0}", "{9'd0, 9'd0, 9'd0}")) {
            Files.writeString(dir.resolve("zero_top.v"), String.join("\n",
                    "`default_nettype none",
                    "module zero_top (input wire [7:0] in_data, output wire [1:0] out_data);",
                    "    bc_inquant #(.PIX(1), .IN_BITS(8), .OUT_BITS(2), .THRESHOLDS(" + thresholds + ")) u_q (",
                    "        .in_data(in_data), .out_data(out_data));",
                    "endmodule",
                    "`default_nettype wire", ""));
            Run v = run("verilator -Wall " + thresholds, List.of(Verilator.locate().executable().toString(), "--lint-only", "-Wall",
                    "--top-module", "zero_top", "zero_top.v", "bc_inquant.v"), dir, "lint.log");
            assertEquals(0, v.exitCode(), v.toString());
            assertEquals("", v.output().strip(), v.toString());
        }
    }

    /** Bad parameters stop elaboration in both simulators, naming the check. */
    @Test
    void badParametersFailElaboration() {
        VerilatorRequired.check();
        requireIcarus();
        record Bad(String module, List<String> rtl, Map<String, Integer> params, String check) {
        }
        List<Bad> bad = List.of(
                new Bad("bc_dense", DENSE, Map.of("MW", 12, "SIMD", 5), "PARAMETER_CHECK_bc_dense_MW_not_divisible_by_SIMD"),
                new Bad("bc_dense", DENSE, Map.of("MH", 12, "PE", 5), "PARAMETER_CHECK_bc_dense_MH_not_divisible_by_PE"),
                new Bad("bc_dense", DENSE, Map.of("IN_BITS", 8, "ACC_BITS", 8), "PARAMETER_CHECK_bc_dense_ACC_BITS_not_above_IN_BITS"),
                new Bad("bc_inbuf", List.of("bc_inbuf.v"), Map.of("MW", 10, "SIMD", 4), "PARAMETER_CHECK_bc_inbuf_MW_not_divisible_by_SIMD"),
                new Bad("bc_rom", ROM, Map.of("DEPTH", 9, "ADDR_BITS", 3), "PARAMETER_CHECK_bc_rom_ADDR_BITS_cannot_address_DEPTH"),
                new Bad("bc_requant", REQUANT, Map.of("SUM_BITS", 20, "ACC_BITS", 20), "PARAMETER_CHECK_bc_requant_SUM_BITS_too_narrow"),
                new Bad("bc_input", List.of("bc_input.v"), Map.of("GROUP", 10, "PIX", 4), "PARAMETER_CHECK_bc_input_GROUP_not_divisible_by_PIX"),
                new Bad("bc_addtree", List.of("bc_addtree.v"), Map.of("N", 16, "IN_BITS", 8, "W", 8), "PARAMETER_CHECK_bc_addtree_W_not_above_IN_BITS"),
                new Bad("bc_argmax", List.of("bc_argmax.v"), Map.of("C", 300, "TDATA_BITS", 8), "PARAMETER_CHECK_bc_argmax_TDATA_BITS_cannot_hold_C"),
                new Bad("bc_swu", List.of("bc_swu.v"), Map.of("K", 3, "PAD", 3), "PARAMETER_CHECK_bc_swu_PAD_not_in_0_to_K_minus_1"),
                new Bad("bc_swu", List.of("bc_swu.v"), Map.of("H", 2, "W", 6, "K", 3, "PAD", 0), "PARAMETER_CHECK_bc_swu_K_larger_than_the_padded_map"),
                new Bad("bc_swu_buf", SWU_BUF, Map.of("C", 6, "SIMD", 4), "PARAMETER_CHECK_bc_swu_buf_SIMD_does_not_divide_C"),
                // 14 x 14, 3 x 3, 4 words per pixel: 2 rows and 3 pixels are 124 words, 64 too few
                new Bad("bc_swu_buf", SWU_BUF, Map.of("H", 14, "W", 14, "C", 16, "SIMD", 4, "K", 3, "DEPTH_BITS", 6),
                        "PARAMETER_CHECK_bc_swu_buf_buffer_below_K_minus_1_rows_and_K_pixels"),
                new Bad("bc_pool", List.of("bc_pool.v"), Map.of("H", 27, "W", 28, "P", 2), "PARAMETER_CHECK_bc_pool_P_does_not_divide_H_and_W"),
                new Bad("bc_dwc", List.of("bc_dwc.v", "bc_input.v"), Map.of("IN_N", 3, "OUT_N", 2), "PARAMETER_CHECK_bc_dwc_neither_width_divides_the_other"),
                new Bad("bc_outq", List.of("bc_outq.v"), Map.of("DEPTH", 0), "PARAMETER_CHECK_bc_outq_WIDTH_or_DEPTH_below_1"),
                new Bad("bc_inquant", List.of("bc_inquant.v"), Map.of("PIX", 0), "PARAMETER_CHECK_bc_inquant_PIX_below_1"));
        for (Bad b : bad) {
            Path dir = folder(b.module() + "-bad", b.rtl(), null);
            List<String> lint = new ArrayList<>(List.of(Verilator.locate().executable().toString(), "--lint-only", "--top-module", b.module()));
            b.params().forEach((k, v) -> lint.add("-G" + k + "=" + v));
            b.rtl().forEach(lint::add);
            Run v = run("verilator " + b, lint, dir, "lint.log");
            assertNotEquals(0, v.exitCode(), v.toString());
            assertTrue(v.output().contains(b.check()), v.toString());
            List<String> iv = new ArrayList<>(List.of(iverilog().toString(), "-g2005", "-o", "bad.vvp", "-s", b.module()));
            b.params().forEach((k, val) -> iv.add("-P" + b.module() + "." + k + "=" + val));
            b.rtl().forEach(iv::add);
            Run i = run("iverilog " + b, iv, dir, "iverilog.log");
            assertNotEquals(0, i.exitCode(), i.toString());
            assertTrue(i.output().contains(b.check()), i.toString());
        }
    }

    record Run(String what, int exitCode, String output) {
        @Override
        public String toString() {
            return what + " (exit " + exitCode + "):\n" + output;
        }
    }

    private static void assertPasses(Run r) {
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.output().lines().anyMatch(l -> l.strip().equals("PASS")), r.toString());
        assertFalse(r.output().contains("FAIL"), r.toString());
    }

    /** A planted fault: {@code from} replaced by {@code to} in the copy of {@code file}. */
    record Fault(String file, String from, String to) {
    }

    private Run verilator(Case k, Fault fault) {
        Path dir = folder(k.tb() + "-verilator", k.rtl(), fault);
        writeMems(k, dir);
        List<String> cmd = new ArrayList<>(List.of(Verilator.locate().executable().toString(), "--binary", "-Wno-fatal",
                "-Wno-lint", "-Wno-style", "--Mdir", "obj", "--top-module", k.tb(), "-MAKEFLAGS", "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0",
                "-I" + TB.toAbsolutePath()));
        k.params().forEach((n, v) -> cmd.add("-G" + n + "=" + v));
        cmd.add(TB.resolve(k.tb() + ".v").toAbsolutePath().toString());
        k.rtl().forEach(cmd::add);
        Run build = run("verilator build of " + k, cmd, dir, "build.log");
        if (build.exitCode() != 0) {
            return build;
        }
        return run("verilator run of " + k, List.of(dir.resolve("obj").resolve("V" + k.tb()).toString()), dir, "run.log");
    }

    private Run icarus(Case k, Fault fault) {
        Path dir = folder(k.tb() + "-icarus", k.rtl(), fault);
        writeMems(k, dir);
        List<String> cmd = new ArrayList<>(List.of(iverilog().toString(), "-g2005", "-Wall", "-I" + TB.toAbsolutePath(),
                "-o", "tb.vvp", "-s", k.tb()));
        k.params().forEach((n, v) -> cmd.add("-P" + k.tb() + "." + n + "=" + v));
        cmd.add(TB.resolve(k.tb() + ".v").toAbsolutePath().toString());
        k.rtl().forEach(cmd::add);
        Run build = run("iverilog of " + k, cmd, dir, "build.log");
        if (build.exitCode() != 0) {
            return build;
        }
        Path vvp = iverilog().resolveSibling("vvp");
        return run("vvp run of " + k, List.of(Files.isExecutable(vvp) ? vvp.toString() : "vvp", "-n", "tb.vvp"), dir, "run.log");
    }

    /** A fresh folder with the primitives (one with {@code fault} planted, if any); the simulators run in it. */
    private Path folder(String name, List<String> rtl, Fault fault) {
        Path dir = tmp.resolve(name + "-" + folders.incrementAndGet());
        try {
            Files.createDirectories(dir);
            for (String f : rtl) {
                String v = Files.readString(RTL.resolve(f));
                if (fault != null && fault.file().equals(f)) {
                    assertTrue(v.contains(fault.from()), "fault site missing in " + f + ": " + fault.from());
                    v = v.replace(fault.from(), fault.to());
                }
                Files.writeString(dir.resolve(f), v);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return dir;
    }

    /** Random ROM files of the shapes the testbench reads (the same for a case every time). */
    private static void writeMems(Case k, Path dir) {
        Random rnd = new Random(k.toString().hashCode());
        switch (k.primitive()) {
            case "bc_rom" -> mem(dir, "tb_rom.mem", k.p("WIDTH"), k.p("DEPTH"), rnd);
            case "bc_requant" -> constants(k, dir, k.p("NF"), rnd);
            case "bc_dense" -> {
                int nf = k.p("MH") / k.p("PE");
                mem(dir, "tb_w.mem", k.p("PE") * k.p("SIMD"), nf * (k.p("MW") / k.p("SIMD")), rnd);
                constants(k, dir, nf, rnd);
            }
            default -> {
            }
        }
    }

    private static void constants(Case k, Path dir, int nf, Random rnd) {
        int pe = k.p("PE");
        mem(dir, "tb_mul.mem", pe * k.p("MUL_BITS"), nf, rnd);
        mem(dir, "tb_add.mem", pe * k.p("ADD_BITS"), nf, rnd);
        mem(dir, "tb_th.mem", pe * (1 + ((1 << k.p("OUT_BITS")) - 1) * k.p("TH_BITS")), nf, rnd);
    }

    private static void mem(Path dir, String name, int width, int depth, Random rnd) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            sb.append(new BigInteger(width, rnd).toString(16)).append('\n');
        }
        try {
            Files.writeString(dir.resolve(name), sb.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Run run(String what, List<String> cmd, Path dir, String log) {
        ExternalTool.Result r = ExternalTool.run(cmd, dir, dir.resolve(log), TIMEOUT);
        return new Run(what, r.exitCode(), r.output());
    }

    private static Path iverilog() {
        return ExternalTool.locate(System.getenv(), "IVERILOG", "iverilog");
    }

    private static void requireIcarus() {
        assumeTrue(iverilog() != null || System.getenv("CI") != null, "Icarus Verilog not installed (and CI unset): skipping");
    }
}
