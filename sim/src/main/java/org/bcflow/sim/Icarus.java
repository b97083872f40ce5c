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
        Files.createDirectories(work);
        Path hex = work.resolve("inputs.hex");
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(inputsBin)).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder sb = new StringBuilder();
        while (buf.remaining() >= 2) {
            sb.append(Integer.toHexString(buf.getShort() & 0xffff)).append('\n');
        }
        Files.writeString(hex, sb);
        Files.writeString(work.resolve(TapWrapperWriter.FILE), TapWrapperWriter.write(d));
        Files.writeString(work.resolve(IcarusTestbenchWriter.FILE), IcarusTestbenchWriter.write(d));
        List<String> cmd = new ArrayList<>(List.of(iverilog.toString(), "-g2005", "-o", work.resolve("sim.vvp").toString(),
                "-s", IcarusTestbenchWriter.MODULE, "-P" + IcarusTestbenchWriter.MODULE + ".COUNT=" + count));
        for (String s : d.verilogFiles()) {
            cmd.add(rtlDir.resolve(s).toAbsolutePath().toString());
        }
        cmd.add(work.resolve(TapWrapperWriter.FILE).toString());
        cmd.add(work.resolve(IcarusTestbenchWriter.FILE).toString());
        ExternalTool.Result c = ExternalTool.run(cmd, work, work.resolve("iverilog.log"), timeout);
        if (c.exitCode() != 0) {
            throw new BcflowException("Icarus compile failed: " + c.output().lines().findFirst().orElse("") + " (log: "
                    + c.log() + ")");
        }
        ExternalTool.Result r = ExternalTool.run(List.of(vvp.toString(), "-n", work.resolve("sim.vvp").toString(),
                "+in=" + hex, "+out=" + out), rtlDir.toAbsolutePath(), work.resolve("vvp.log"), timeout);
        String problem = r.output().lines().filter(l -> l.contains("WARNING") || l.contains("ERROR") || l.contains("Unable"))
                .findFirst().orElse(null);
        if (problem != null || r.exitCode() != 0) {
            throw new BcflowException("Icarus simulation of " + rtlDir + " reported: "
                    + (problem != null ? problem.strip() : "exit " + r.exitCode()));
        }
    }
}
