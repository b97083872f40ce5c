package org.bcflow.cluster;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bcflow.core.BcflowException;

/**
 * The versions of the hardware tools on the node a task runs on: a campaign's results are only
 * comparable when every node ran the same Verilator, Yosys and nextpnr, so task commands record them.
 */
public final class ToolVersions {
    private ToolVersions() {
    }

    /**
     * The first line each tool prints about its version, by tool, in the order asked: verilator
     * ({@code --version}), yosys ({@code -V}), nextpnr-ice40 ({@code --version}); any other tool
     * is asked with {@code --version}. A tool not on PATH: "this node lacks TOOL (HOST)".
     */
    public static Map<String, String> probe(List<String> tools) {
        Map<String, String> versions = new LinkedHashMap<>();
        for (String tool : tools) {
            versions.put(tool, version(tool));
        }
        return versions;
    }

    private static String version(String tool) {
        Path exe = onPath(tool);
        if (exe == null) {
            throw new BcflowException("this node lacks " + tool + " (" + hostname() + ")");
        }
        String flag = tool.equals("yosys") ? "-V" : "--version";
        try {
            Process p = new ProcessBuilder(exe.toString(), flag).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            // version banners are short: reading to the end cannot block on a full pipe for long
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BcflowException(tool + " " + flag + " did not answer within 30 s (" + hostname() + ")");
            }
            String first = out.strip().lines().findFirst().orElse("").strip();
            if (p.exitValue() != 0 || first.isEmpty()) {
                throw new BcflowException(tool + " " + flag + " failed on " + hostname() + ": "
                        + (first.isEmpty() ? "exit " + p.exitValue() : first));
            }
            return first;
        } catch (IOException e) {
            throw new BcflowException("cannot run " + exe + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BcflowException("interrupted while asking " + tool + " for its version");
        }
    }

    private static Path onPath(String tool) {
        if (tool.contains("/")) {
            Path p = Path.of(tool);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The node's name: the kernel's (no DNS lookup, which can hang on a badly configured node). */
    static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e2) {
                return "unknown host";
            }
        }
    }
}
