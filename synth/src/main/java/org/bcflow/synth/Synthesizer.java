package org.bcflow.synth;

import org.bcflow.core.tools.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bcflow.core.BcflowException;
import org.bcflow.rtlgen.Design;

/**
 * Synthesizes a generated RTL folder: Yosys {@code synth_ice40} (latches are an error, ROMs must
 * come from their files), nextpnr-ice40 place and route for Fmax, optional Yosys-only estimates
 * for other families, and the analytic {@link ResourceModel} beside the measured numbers.
 * Tools: {@code $YOSYS} / {@code $NEXTPNR_ICE40}, else PATH. Logs and scripts stay in the output
 * folder.
 */
public final class Synthesizer {
    /** Yosys families and their synthesis commands; ice40 always runs. */
    public static final Map<String, String> FAMILIES = Map.of(
            "ice40", "synth_ice40",
            "xilinx", "synth_xilinx -family xc7 -flatten",   // synth_xilinx keeps the hierarchy unless told
            "ecp5", "synth_ecp5");

    /**
     * @param device         iCE40 device for nextpnr (hx8k, up5k, ...)
     * @param packageName    its package, null for the device's default
     * @param families       extra Yosys-only families (xilinx, ecp5)
     * @param targetMhz      the frequency nextpnr aims at
     * @param placeAndRoute  false: Yosys only
     * @param timeout        per tool run
     */
    public record Options(String device, String packageName, List<String> families, double targetMhz,
            boolean placeAndRoute, Duration timeout) {
        public Options {
            families = List.copyOf(families);
            for (String f : families) {
                if (!FAMILIES.containsKey(f)) {
                    throw new BcflowException("unknown family '" + f + "'; known: ice40, xilinx, ecp5");
                }
            }
        }

        /** The defaults of {@link #defaults()}, which the command line shows and applies too. */
        public static final double DEFAULT_MHZ = 12;
        public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(60);

        public static Options defaults() {
            return new Options(Device.DEFAULT, null, List.of(), DEFAULT_MHZ, true, DEFAULT_TIMEOUT);
        }
    }

    private final Map<String, String> env;

    public Synthesizer() {
        this(System.getenv());
    }

    public Synthesizer(Map<String, String> env) {
        this.env = env;
    }

    /** Yosys, or a one-line error naming the package. */
    public Path yosys() {
        return ExternalTool.require(env, "YOSYS", "yosys", "yosys");
    }

    public Path nextpnr() {
        return ExternalTool.require(env, "NEXTPNR_ICE40", "nextpnr-ice40", "nextpnr-ice40");
    }

    public SynthReport run(Path rtlDir, Path outDir, Options opt) {
        long start = System.nanoTime();
        Path rtl = rtlDir.toAbsolutePath().normalize();
        Path out = outDir.toAbsolutePath().normalize();
        Design design = Design.read(rtl);
        Device device = Device.of(opt.device());
        String pkg = opt.packageName() != null ? opt.packageName() : device.defaultPackage();
        Path yosys = yosys();
        Path nextpnr = opt.placeAndRoute() ? nextpnr() : null;
        checkFiles(rtl, design);
        List<ResourceModel.Estimate> model = ResourceModel.estimate(design, rtl);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new BcflowException("cannot create " + out + ": " + e.getMessage());
        }

        Path netlist = out.resolve(design.top() + ".json");
        ExternalTool.Result y = runYosys(yosys, rtl, out, design, "ice40", "synth_ice40 -top " + design.top()
                + " -json " + quote(netlist), opt.timeout());
        CellCounts ice40 = CellCounts.parse("ice40", y.output(), design.top());
        List<String> warnings = warnings(y.output());

        Map<String, CellCounts> others = new LinkedHashMap<>();
        for (String f : opt.families()) {
            if (f.equals("ice40")) {
                continue;
            }
            ExternalTool.Result r = runYosys(yosys, rtl, out, design, f, FAMILIES.get(f) + " -top " + design.top(),
                    opt.timeout());
            others.put(f, CellCounts.parse(f, r.output(), design.top()));
        }

        PnrResult pnr = null;
        if (nextpnr != null) {
            List<String> cmd = List.of(nextpnr.toString(), device.flag(), "--package", pkg, "--json", netlist.toString(),
                    "--asc", out.resolve(design.top() + ".asc").toString(), "--pcf-allow-unconstrained",
                    "--freq", Double.toString(opt.targetMhz()), "--timing-allow-fail", "--seed", "1");
            ExternalTool.Result r = ExternalTool.run(cmd, out, out.resolve("nextpnr.log"), opt.timeout());
            pnr = PnrResult.parse(r.output());
            if (r.exitCode() != 0 && pnr.error() == null) {
                throw new BcflowException("nextpnr-ice40 failed (exit " + r.exitCode() + "; log: " + r.log() + ")");
            }
        }
        return new SynthReport(design, device, pkg, ice40, pnr, model, others, warnings,
                (System.nanoTime() - start) / 1e9, out);
    }

    /** Every Verilog and ROM file the design names exists (a missing ROM would synthesize as zeros). */
    public static void checkFiles(Path rtl, Design design) {
        for (String v : design.verilogFiles()) {
            if (!Files.isRegularFile(rtl.resolve(v))) {
                throw new BcflowException("Verilog file " + rtl.resolve(v) + " is missing");
            }
        }
        for (Design.Layer l : design.layers()) {
            for (String rom : l.romFiles()) {
                if (!Files.isRegularFile(rtl.resolve(rom))) {
                    throw new BcflowException("ROM file " + rtl.resolve(rom) + " is missing: synthesis would use zeros");
                }
            }
        }
    }

    /** Writes the script to OUT/yosys_FAMILY.ys and runs it in the RTL folder, where $readmemh finds the ROMs. */
    private static ExternalTool.Result runYosys(Path yosys, Path rtl, Path out, Design design, String family,
            String synth, Duration timeout) {
        StringBuilder ys = new StringBuilder();
        ys.append("# bcflow synth: ").append(family).append(", run in ").append(rtl).append('\n');
        ys.append("read_verilog -defer");
        for (String v : design.verilogFiles()) {
            ys.append(' ').append(quote(rtl.resolve(v)));
        }
        ys.append('\n');
        ys.append("hierarchy -check -top ").append(design.top()).append('\n');
        ys.append("proc\n");
        ys.append("select -assert-none t:$dlatch t:$adlatch t:$dlatchsr\n");
        ys.append(synth).append('\n');
        ys.append("stat\n");
        ys.append("check -assert\n");
        Path script = out.resolve("yosys_" + family + ".ys");
        try {
            Files.writeString(script, ys.toString());
        } catch (IOException e) {
            throw new BcflowException("cannot write " + script + ": " + e.getMessage());
        }
        Path log = out.resolve("yosys_" + family + ".log");
        ExternalTool.Result r = ExternalTool.run(List.of(yosys.toString(), "-q", "-l", log.toString(), "-s", script.toString()),
                rtl, out.resolve("yosys_" + family + ".out"), timeout);
        String text;
        try {
            text = Files.exists(log) ? Files.readString(log) : r.output();
        } catch (IOException e) {
            throw new BcflowException("cannot read " + log + ": " + e.getMessage());
        }
        if (r.exitCode() != 0) {
            List<String> latches = text.lines().filter(l -> l.startsWith("Latch inferred for signal"))
                    .map(l -> l.replaceFirst("^Latch inferred for signal ", "")).toList();
            if (!latches.isEmpty()) {
                throw new BcflowException("Yosys inferred " + latches.size() + " latch(es), e.g. " + latches.get(0)
                        + " (log: " + log + ")");
            }
            String err = (text + "\n" + r.output()).lines().filter(l -> l.contains("ERROR:")).findFirst()
                    .orElse("exit code " + r.exitCode()).replaceFirst("^.*ERROR:\\s*", "");
            throw new BcflowException("Yosys (" + family + ") failed: " + err + " (log: " + log + ")");
        }
        return new ExternalTool.Result(0, text, log);
    }

    private static List<String> warnings(String log) {
        List<String> out = new ArrayList<>();
        log.lines().filter(l -> l.startsWith("Warning:")).distinct().forEach(out::add);
        return out;
    }

    private static String quote(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
