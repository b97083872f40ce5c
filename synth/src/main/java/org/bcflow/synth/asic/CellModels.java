package org.bcflow.synth.asic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bcflow.core.BcflowException;

/**
 * Zero-delay Verilog-2005 models of a technology's cells, written from the Liberty file's own
 * logic: each output pin's {@code function} (and {@code three_state}), each {@code ff} group's
 * {@code next_state}, {@code clocked_on}, {@code clear} and {@code preset}, each {@code latch}'s
 * {@code enable} and {@code data_in}. They are what synthesis mapped to (abc reads the same
 * functions), and unlike the vendor's models (primitives and specify blocks, about a dozen cycles
 * a second for a 100,000-cell netlist in Icarus) Verilator compiles them: the gate-level check of
 * large netlists runs on these, and the vendor's models stay the independent second opinion.
 *
 * <p>Liberty function syntax: {@code !} and a postfix {@code '} negate, {@code ^} is xor, {@code +}
 * and {@code |} or, {@code &}, {@code *} and juxtaposition and.
 */
public final class CellModels {
    private static final Pattern CELL = Pattern.compile("(?m)^\\s*cell\\s*\\(\\s*\"?([A-Za-z0-9_]+)\"?\\s*\\)\\s*\\{");
    private static final Pattern PIN = Pattern.compile("(?m)^\\s*pin\\s*\\(\\s*\"?([A-Za-z0-9_]+)\"?\\s*\\)\\s*\\{");
    private static final Pattern FF = Pattern.compile("\\bff\\s*\\(\\s*\"?(\\w+)\"?\\s*,\\s*\"?(\\w+)\"?\\s*\\)\\s*\\{([^}]*)\\}");
    private static final Pattern LATCH = Pattern.compile("\\blatch\\s*\\(\\s*\"?(\\w+)\"?\\s*,\\s*\"?(\\w+)\"?\\s*\\)\\s*\\{([^}]*)\\}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*|[()!^+|&*']|\\s+|.");

    private CellModels() {
    }

    /** The models of every cell of the technology's Liberty file, one module each. */
    public static String of(Technology tech) {
        String lib;
        try {
            lib = Files.readString(tech.library());
        } catch (IOException e) {
            throw new BcflowException("cannot read the cell library " + tech.library() + ": " + e.getMessage());
        }
        StringBuilder sb = new StringBuilder("// Zero-delay models of the ").append(tech.name())
                .append(" cells, written by bcflow from ").append(tech.library().getFileName()).append(" -- DO NOT EDIT.\n");
        Matcher cell = CELL.matcher(lib);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (cell.find()) {
            names.add(cell.group(1));
            spans.add(new int[] {cell.end()});
        }
        for (int i = 0; i < names.size(); i++) {
            int end = i + 1 < spans.size() ? spans.get(i + 1)[0] : lib.length();
            sb.append(module(names.get(i), lib.substring(spans.get(i)[0], end)));
        }
        return sb.toString();
    }

    /** Writes the models to {@code file}. */
    public static Path write(Technology tech, Path file) {
        try {
            Files.writeString(file, of(tech));
        } catch (IOException e) {
            throw new BcflowException("cannot write " + file + ": " + e.getMessage());
        }
        return file;
    }

    private static String module(String name, String body) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<String> inouts = new ArrayList<>();  // pad cells
        StringBuilder logic = new StringBuilder();
        Matcher pin = PIN.matcher(body);
        List<Integer> starts = new ArrayList<>();
        List<String> pins = new ArrayList<>();
        while (pin.find()) {
            pins.add(pin.group(1));
            starts.add(pin.end());
        }
        for (int i = 0; i < pins.size(); i++) {
            String p = body.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : body.length());
            String direction = attribute(p, "direction");
            if ("input".equals(direction)) {
                inputs.add(pins.get(i));
            } else if ("output".equals(direction) || "inout".equals(direction)) {
                (direction.equals("inout") ? inouts : outputs).add(pins.get(i));
                String f = attribute(p, "function");
                String z = attribute(p, "three_state");
                if (f != null) {
                    logic.append("    assign ").append(pins.get(i)).append(" = ").append(z == null ? "" : "(" + expr(z)
                            + ") ? 1'bz : ").append(expr(f)).append(";\n");
                }
            }
        }
        Matcher ff = FF.matcher(body);
        if (ff.find()) {
            String q = ff.group(1);
            String g = ff.group(3);
            String clear = attribute(g, "clear");
            String preset = attribute(g, "preset");
            StringBuilder sens = new StringBuilder(edge(attribute(g, "clocked_on")));
            for (String async : new String[] {clear, preset}) {
                if (async != null) {
                    sens.append(" or ").append(edge(async));
                }
            }
            logic.append("    reg ").append(q).append(";\n    wire ").append(ff.group(2)).append(" = ~").append(q).append(";\n");
            logic.append("    always @(").append(sens).append(")\n        ");
            if (clear != null) {
                logic.append("if (").append(expr(clear)).append(") ").append(q).append(" <= 1'b0;\n        else ");
            }
            if (preset != null) {
                logic.append("if (").append(expr(preset)).append(") ").append(q).append(" <= 1'b1;\n        else ");
            }
            logic.append(q).append(" <= ").append(expr(attribute(g, "next_state"))).append(";\n");
        }
        Matcher latch = LATCH.matcher(body);
        if (latch.find()) {
            String q = latch.group(1);
            String g = latch.group(3);
            logic.append("    reg ").append(q).append(";\n    wire ").append(latch.group(2)).append(" = ~").append(q).append(";\n");
            // the cell is a latch on purpose
            logic.append("    /* verilator lint_off LATCH */\n    always @*\n        if (").append(expr(attribute(g, "enable")))
                    .append(") ").append(q).append(" = ").append(expr(attribute(g, "data_in")))
                    .append(";\n    /* verilator lint_on LATCH */\n");
        }
        List<String> ports = new ArrayList<>(inputs);
        ports.addAll(outputs);
        ports.addAll(inouts);
        StringBuilder m = new StringBuilder("\nmodule ").append(name).append(" (").append(String.join(", ", ports)).append(");\n");
        inputs.forEach(p -> m.append("    input ").append(p).append(";\n"));
        outputs.forEach(p -> m.append("    output ").append(p).append(";\n"));
        inouts.forEach(p -> m.append("    inout ").append(p).append(";\n"));
        return m.append(logic).append("endmodule\n").toString();
    }

    /** A simple attribute's value ({@code name : "value";} or {@code name : value;}), or null. */
    private static String attribute(String text, String name) {
        Matcher m = Pattern.compile("\\b" + name + "\\s*:\\s*\"?([^\";]*)\"?\\s*;").matcher(text);
        return m.find() ? m.group(1).strip() : null;
    }

    /** The sensitivity of an edge-triggering expression: {@code CLK} rises, {@code (!CLK)} falls. */
    private static String edge(String condition) {
        String c = condition.replaceAll("[()\\s]", "");
        return c.startsWith("!") ? "negedge " + c.substring(1) : "posedge " + c;
    }

    /** A Liberty boolean expression in Verilog. */
    static String expr(String liberty) {
        StringBuilder out = new StringBuilder();
        Matcher t = TOKEN.matcher(liberty);
        boolean operandBefore = false;  // the last token ends an operand: a following operand is an implicit and
        while (t.find()) {
            String tok = t.group();
            if (tok.isBlank()) {
                continue;
            }
            boolean startsOperand = tok.equals("(") || tok.equals("!") || Character.isLetter(tok.charAt(0)) || tok.charAt(0) == '_';
            if (operandBefore && startsOperand) {
                out.append(" & ");
            }
            switch (tok) {
                case "!" -> out.append('~');
                case "+", "|" -> out.append(" | ");
                case "*", "&" -> out.append(" & ");
                case "^" -> out.append(" ^ ");
                case "'" -> {
                    // postfix negation of the operand just written
                    int start = operandStart(out);
                    out.insert(start, "~");
                }
                case "(", ")" -> out.append(tok);
                default -> {
                    if (!Character.isLetter(tok.charAt(0)) && tok.charAt(0) != '_') {
                        throw new BcflowException("unreadable Liberty function '" + liberty + "' at '" + tok + "'");
                    }
                    out.append(tok);
                }
            }
            operandBefore = tok.equals(")") || tok.equals("'") || Character.isLetter(tok.charAt(0)) || tok.charAt(0) == '_';
        }
        return out.toString();
    }

    /** Where the last operand of {@code s} starts: an identifier, or a parenthesised group. */
    private static int operandStart(StringBuilder s) {
        int i = s.length() - 1;
        if (s.charAt(i) == ')') {
            int depth = 0;
            for (; i >= 0; i--) {
                depth += s.charAt(i) == ')' ? 1 : s.charAt(i) == '(' ? -1 : 0;
                if (depth == 0) {
                    return i;
                }
            }
            return 0;
        }
        while (i > 0 && (Character.isLetterOrDigit(s.charAt(i - 1)) || s.charAt(i - 1) == '_')) {
            i--;
        }
        return i;
    }
}
