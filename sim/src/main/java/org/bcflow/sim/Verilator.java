package org.bcflow.sim;

import org.bcflow.core.tools.ExternalTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.BcflowException;

/**
 * Verilator, found through {@code $VERILATOR} or PATH. Builds a design with a C++ testbench into
 * a cache folder named by the hash of all its inputs, so that an unchanged design is not rebuilt.
 */
public final class Verilator {
    public static final String INSTALL_HINT = "Verilator not found (set VERILATOR or put verilator on PATH): "
            + "install it with 'apt-get install verilator' (Debian/Ubuntu)";
    private final Path executable;

    private Verilator(Path executable) {
        this.executable = executable;
    }

    /** True when Verilator can be found. */
    public static boolean available() {
        return ExternalTool.locate(System.getenv(), "VERILATOR", "verilator") != null;
    }

    public static Verilator locate() {
        return locate(System.getenv());
    }

    /** Finds Verilator through VERILATOR, then PATH, of the given environment. */
    static Verilator locate(java.util.Map<String, String> environment) {
        Path exe = ExternalTool.locate(environment, "VERILATOR", "verilator");
        if (exe == null) {
            throw new BcflowException(INSTALL_HINT);
        }
        return new Verilator(exe);
    }

    public Path executable() {
        return executable;
    }

    /** A built simulator: the binary and whether it came from the cache. */
    public record Build(Path binary, boolean cached, double seconds) {
    }

    /**
     * Builds {@code sources} (from {@code rtlDir}) plus {@code extraFiles} (name to content, written
     * into the build folder; C++ files are the testbench) with top module {@code top} into
     * {@code cacheRoot/<hash>}, unless that build already exists. {@code trace} adds FST tracing.
     */
    private static final Path CCACHE = ExternalTool.locate(System.getenv(), "CCACHE", "ccache");

    public Build build(Path rtlDir, List<String> sources, java.util.Map<String, String> extraFiles, String top,
            boolean trace, Path cacheRoot, Duration timeout) {
        String hash = hashInputs(rtlDir, sources, extraFiles, top + (trace ? "+trace" : ""));
        Path dir = cacheRoot.resolve(hash);
        Path binary = dir.resolve("obj_dir").resolve("Vsim");
        if (Files.isExecutable(binary)) {
            return new Build(binary, true, 0);
        }
        long start = System.nanoTime();
        Path partial = cacheRoot.resolve(hash + ".partial");
        AtomicFiles.deleteTree(partial);
        try {
            Files.createDirectories(partial);
            List<String> cmd = new ArrayList<>(List.of(
                    executable.toString(),
                    "--cc", "--exe", "--build",       // C++ model + our main(), compiled by make
                    "-j", "2",                         // this machine's cores
                    "-Wall",                           // lint everything; warnings fail the build
                    "-O3", "--x-assign", "fast", "--x-initial", "fast",
                    "-CFLAGS", "-O1",                  // -O1 compiles much faster than -O2 for large models, runs nearly as fast
                    "--top-module", top,
                    "-Mdir", "obj_dir",
                    "-o", "Vsim"));
            if (CCACHE != null) {
                // the Verilator runtime (verilated.cpp ...) is the same in every build: compile it once
                cmd.addAll(List.of("-MAKEFLAGS", "OBJCACHE=" + CCACHE));
            }
            if (trace) {
                cmd.add("--trace-fst");                // waveforms of the cycles around a divergence
            }
            for (String s : sources) {
                cmd.add(rtlDir.resolve(s).toAbsolutePath().toString());
            }
            for (var e : new java.util.TreeMap<>(extraFiles).entrySet()) {
                Files.writeString(partial.resolve(e.getKey()), e.getValue());
                cmd.add(e.getKey());
            }
            ExternalTool.Result r = ExternalTool.run(cmd, partial, partial.resolve("build.log"), timeout);
            if (r.exitCode() != 0) {
                Path kept = cacheRoot.resolve(hash + ".failed");
                AtomicFiles.deleteTree(kept);
                Files.move(partial, kept);
                throw new BcflowException("Verilator build failed: " + firstProblem(r.output()) + " (log: "
                        + kept.resolve("build.log") + ")");
            }
            AtomicFiles.deleteTree(dir);
            Files.move(partial, dir);
        } catch (IOException e) {
            throw new BcflowException("cannot prepare the Verilator build in " + partial + ": " + e.getMessage());
        } finally {
            AtomicFiles.deleteTree(partial);
        }
        return new Build(binary, false, (System.nanoTime() - start) / 1e9);
    }

    private static String firstProblem(String log) {
        return log.lines().filter(l -> l.startsWith("%Error") || l.startsWith("%Warning") || l.contains("error:"))
                .findFirst().orElse("see log").strip();
    }

    private String hashInputs(Path rtlDir, List<String> sources, java.util.Map<String, String> extraFiles, String top) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(executable.toString().getBytes(StandardCharsets.UTF_8));
            md.update(top.getBytes(StandardCharsets.UTF_8));
            for (var e : new java.util.TreeMap<>(extraFiles).entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update(e.getValue().getBytes(StandardCharsets.UTF_8));
            }
            for (String s : sources) {
                md.update(s.getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(rtlDir.resolve(s)));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 24);
        } catch (IOException e) {
            throw new BcflowException("cannot read RTL source: " + e.getMessage());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
