package org.bcflow.sim;

import org.bcflow.core.tools.ExternalTool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bcflow.core.BcflowException;
import org.bcflow.rtlgen.Design;

/**
 * Icarus Verilog ({@code iverilog} and {@code vvp}, found through $IVERILOG / $VVP or PATH): the
 * second simulator, an independent check of Verilator on the same vectors.
 */
final class Icarus {
    static final String INSTALL_HINT = "Icarus Verilog not found (set IVERILOG and VVP or put iverilog and vvp on PATH): "
            + "install it with 'apt-get install iverilog'";
    private final Path iverilog;
    private final Path vvp;

    private Icarus(Path iverilog, Path vvp) {
        this.iverilog = iverilog;
        this.vvp = vvp;
    }

    static Icarus locate() {
        return locate(System.getenv());
    }

    static Icarus locate(Map<String, String> env) {
        Path c = ExternalTool.locate(env, "IVERILOG", "iverilog");
        Path r = ExternalTool.locate(env, "VVP", "vvp");
        if (c == null || r == null) {
            throw new BcflowException(INSTALL_HINT);
        }
        return new Icarus(c, r);
    }

    String version() {
        Path dir = org.bcflow.core.tools.Reaper.temporaryFolder("bcflow-iverilog");
        try {
            String v = ExternalTool.run(List.of(iverilog.toString(), "-V"), dir, dir.resolve("version.log"), Duration.ofSeconds(30))
                    .output().lines().findFirst().orElse("Icarus Verilog");
            return v.replaceAll("\\s*\\(.*$", "").strip();
        } finally {
            org.bcflow.core.tools.Reaper.deleteTemporaryFolder(dir);
        }
    }

    /** Compiles the design for {@code count} images and runs it on {@code inputsBin} (16-bit LE values). */
    void run(Path rtlDir, Design d, Path inputsBin, int count, Path out, Path work, Duration timeout) throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String s : d.verilogFiles()) {
            sources.add(rtlDir.resolve(s).toAbsolutePath());
        }
        Files.createDirectories(work);
        Files.writeString(work.resolve(TapWrapperWriter.FILE), TapWrapperWriter.write(d));
        sources.add(work.resolve(TapWrapperWriter.FILE));
        simulate(sources, IcarusTestbenchWriter.write(d), rtlDir, inputsBin, count, 0, out, work, timeout, rtlDir.toString());
    }

    /**
     * Runs a netlist of the design's top module ({@code sources}: the netlist and the models of its
     * cells) through the ports-only testbench, for at most {@code maxCycles} cycles.
     */
    void runNetlist(List<Path> sources, Design d, Path inputsBin, int count, long maxCycles, Path out, Path work,
            Duration timeout) throws IOException {
        Files.createDirectories(work);
        simulate(sources, IcarusTestbenchWriter.writePortsOnly(d), work, inputsBin, count, maxCycles, out, work, timeout,
                sources.get(0).getFileName().toString());
    }

    private void simulate(List<Path> sources, String testbench, Path runDir, Path inputsBin, int count, long maxCycles, Path out,
            Path work, Duration timeout, String what) throws IOException {
        Files.createDirectories(work);
        Path hex = writeHex(inputsBin, work.resolve("inputs.hex"));
        Files.writeString(work.resolve(IcarusTestbenchWriter.FILE), testbench);
        List<String> cmd = new ArrayList<>(List.of(iverilog.toString(), "-g2005", "-o", work.resolve("sim.vvp").toString(),
                "-s", IcarusTestbenchWriter.MODULE, "-P" + IcarusTestbenchWriter.MODULE + ".COUNT=" + count,
                "-P" + IcarusTestbenchWriter.MODULE + ".MAX_CYCLES=" + maxCycles));
        for (Path p : sources) {
            cmd.add(p.toAbsolutePath().toString());
        }
        cmd.add(work.resolve(IcarusTestbenchWriter.FILE).toString());
        ExternalTool.Result c = ExternalTool.run(cmd, work, work.resolve("iverilog.log"), timeout);
        if (c.exitCode() != 0) {
            // the first error, not the warnings before it (the OSU cell models warn on their min:typ:max delays)
            String first = c.output().lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("error")).findFirst()
                    .orElse(c.output().lines().reduce((a, b) -> b).orElse("exit " + c.exitCode()));
            throw new BcflowException("Icarus compile failed: " + first.strip() + " (log: " + c.log() + ")");
        }
        ExternalTool.Result r = ExternalTool.run(List.of(vvp.toString(), "-n", work.resolve("sim.vvp").toString(),
                "+in=" + hex, "+out=" + out), runDir.toAbsolutePath(), work.resolve("vvp.log"), timeout);
        String problem = r.output().lines().filter(l -> l.contains("WARNING") || l.contains("ERROR") || l.contains("Unable"))
                .findFirst().orElse(null);
        if (problem != null || r.exitCode() != 0) {
            throw new BcflowException("Icarus simulation of " + what + " reported: "
                    + (problem != null ? problem.strip() : "exit " + r.exitCode()));
        }
    }

    /** The 16-bit little-endian values of {@code inputsBin} as the testbench's $readmemh reads them: one hex value a line. */
    static Path writeHex(Path inputsBin, Path hex) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(inputsBin)).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder sb = new StringBuilder();
        while (buf.remaining() >= 2) {
            sb.append(Integer.toHexString(buf.getShort() & 0xffff)).append('\n');
        }
        return Files.writeString(hex, sb);
    }
}
