package org.bcflow.rtlgen;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bcflow.core.BcflowException;

/**
 * The names a generated design may use. A name must be a plain Verilog identifier and no keyword;
 * within one module no name may be declared twice ({@link Scope}, through which
 * {@link TopEmitter} declares every port, wire and instance it writes); and the top module may not
 * take the name of a module the design is built with.
 */
final class VerilogNames {
    /** IEEE 1364-2005, Annex B: every reserved keyword of Verilog-2005. */
    static final Set<String> VERILOG_2005_KEYWORDS = Set.of(
            "always", "and", "assign", "automatic", "begin", "buf", "bufif0", "bufif1", "case", "casex", "casez", "cell",
            "cmos", "config", "deassign", "default", "defparam", "design", "disable", "edge", "else", "end", "endcase",
            "endconfig", "endfunction", "endgenerate", "endmodule", "endprimitive", "endspecify", "endtable", "endtask",
            "event", "for", "force", "forever", "fork", "function", "generate", "genvar", "highz0", "highz1", "if",
            "ifnone", "incdir", "include", "initial", "inout", "input", "instance", "integer", "join", "large", "liblist",
            "library", "localparam", "macromodule", "medium", "module", "nand", "negedge", "nmos", "nor",
            "noshowcancelled", "not", "notif0", "notif1", "or", "output", "parameter", "pmos", "posedge", "primitive",
            "pull0", "pull1", "pulldown", "pullup", "pulsestyle_ondetect", "pulsestyle_onevent", "rcmos", "real",
            "realtime", "reg", "release", "repeat", "rnmos", "rpmos", "rtran", "rtranif0", "rtranif1", "scalared",
            "showcancelled", "signed", "small", "specify", "specparam", "strong0", "strong1", "supply0", "supply1", "table",
            "task", "time", "tran", "tranif0", "tranif1", "tri", "tri0", "tri1", "triand", "trior", "trireg", "unsigned",
            "use", "uwire", "vectored", "wait", "wand", "weak0", "weak1", "while", "wire", "wor", "xnor", "xor");

    /**
     * IEEE 1800-2017, Annex B: the keywords SystemVerilog adds. Verilator, which verifies every
     * design, reads .v files with these reserved too ({@code module logic} does not parse).
     */
    static final Set<String> SYSTEMVERILOG_KEYWORDS = Set.of(
            "accept_on", "alias", "always_comb", "always_ff", "always_latch", "assert", "assume", "before", "bind", "bins",
            "binsof", "bit", "break", "byte", "chandle", "checker", "class", "clocking", "const", "constraint", "context",
            "continue", "cover", "covergroup", "coverpoint", "cross", "dist", "do", "endchecker", "endclass",
            "endclocking", "endgroup", "endinterface", "endpackage", "endprogram", "endproperty", "endsequence", "enum",
            "eventually", "expect", "export", "extends", "extern", "final", "first_match", "foreach", "forkjoin", "global",
            "iff", "ignore_bins", "illegal_bins", "implements", "implies", "import", "inside", "int", "interconnect",
            "interface", "intersect", "join_any", "join_none", "let", "local", "logic", "longint", "matches", "modport",
            "nettype", "new", "nexttime", "null", "package", "packed", "priority", "program", "property", "protected",
            "pure", "rand", "randc", "randcase", "randsequence", "reject_on", "ref", "restrict", "return", "s_always",
            "s_eventually", "s_nexttime", "s_until", "s_until_with", "sequence", "shortint", "shortreal", "soft", "solve",
            "static", "string", "strong", "struct", "super", "sync_accept_on", "sync_reject_on", "tagged", "this",
            "throughout", "timeprecision", "timeunit", "type", "typedef", "union", "unique", "unique0", "until",
            "until_with", "untyped", "var", "virtual", "void", "wait_order", "weak", "wildcard", "with", "within");

    /**
     * Modules that verification builds around a design, written by the sim module, which rtlgen
     * cannot see: the tap wrapper (TapWrapperWriter.MODULE) and the Icarus testbench
     * (IcarusTestbenchWriter.MODULE). A top of the same name would be a second module of that name.
     */
    static final Set<String> HARNESS_MODULES = Set.of("bcflow_tap", "bcflow_tb");

    private VerilogNames() {
    }

    /** Why {@code name} cannot be a Verilog identifier, or null when it can. */
    static String problem(String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return "is not a Verilog identifier (a letter or _, then letters, digits and _)";
        }
        if (VERILOG_2005_KEYWORDS.contains(name)) {
            return "is a Verilog keyword";
        }
        if (SYSTEMVERILOG_KEYWORDS.contains(name)) {
            return "is a SystemVerilog keyword, reserved by Verilator in .v files too";
        }
        return null;
    }

    /** Refuses a top module name that is no identifier, a keyword, or the name of a module or file the design needs. */
    static void checkTop(String top) {
        String problem = problem(top);
        if (problem != null) {
            throw new BcflowException("top module name '" + top + "' " + problem + "; choose another --top");
        }
        // compared without case: on a case-insensitive file system BC_DENSE.v overwrites bc_dense.v
        String lower = top.toLowerCase(Locale.ROOT);
        List<String> primitives = new java.util.ArrayList<>(RtlGenerator.PRIMITIVES);
        primitives.addAll(RtlGenerator.STREAM_PRIMITIVES);
        primitives.add(RtlGenerator.INPUT_QUANTIZER);
        for (String file : primitives) {
            if ((lower + ".v").equals(file)) {
                throw new BcflowException("top module name '" + top + "' is the name of the hand-written primitive " + file
                        + " the design is built from; choose another --top");
            }
        }
        if (HARNESS_MODULES.contains(lower)) {
            throw new BcflowException("top module name '" + top + "' is the name of a module that verify builds around the"
                    + " design; choose another --top");
        }
    }

    /** Refuses a layer name that is a keyword: it names wires, instances and testbench taps. */
    static void checkLayer(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new BcflowException("layer '" + name + "': its name " + problem + "; rename the layer");
        }
    }

    /** One module's names: each may be declared once. */
    static final class Scope {
        private final String module;
        private final Map<String, String> owners = new HashMap<>();

        Scope(String module) {
            this.module = module;
        }

        /**
         * Declares {@code name} as {@code what} (e.g. "the instance of layer 'dense0'") and returns
         * it; a keyword or a name declared before is a {@link BcflowException} naming both owners.
         */
        String declare(String name, String what) {
            String problem = problem(name);
            if (problem != null) {
                throw new BcflowException("cannot generate module " + module + ": " + name + ", " + what + ", " + problem
                        + advice(what));
            }
            String before = owners.putIfAbsent(name, what);
            if (before != null) {
                throw new BcflowException("cannot generate module " + module + ": " + name + " would be both " + before
                        + " and " + what + advice(before + " " + what));
            }
            return name;
        }

        /** The names declared so far. */
        Set<String> names() {
            return Set.copyOf(owners.keySet());
        }

        private static String advice(String owners) {
            int at = owners.indexOf("layer '");
            if (at < 0) {
                return "";
            }
            String layer = owners.substring(at, owners.indexOf('\'', at + 7) + 1);
            return "; rename " + layer;
        }
    }
}
