package org.bcflow.sim;

import org.bcflow.core.tools.ExternalTool;
import org.bcflow.core.tools.Reaper;
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
import org.bcflow.core.FileHash;

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

    /**
     * A built simulator: the binary, whether it came from the cache, and why a cached build was
     * discarded and rebuilt (null when none was).
     */
    public record Build(Path binary, boolean cached, double seconds, String rebuiltBecause) {
    }

    /**
     * The SHA-256 of the binary, recorded in the cache entry when its build completes. A cache entry
     * is used only while its binary still has that checksum: a damaged binary (a full disk, an
     * interrupted copy) would otherwise fail every run, the same way, forever.
     */
    static final String CHECKSUM_FILE = "Vsim.sha256";

    private static final Path CCACHE = ExternalTool.locate(System.getenv(), "CCACHE", "ccache");

    /**
     * How the model is made fast (part of a cached build's key: a build made otherwise is not reused).
     * {@code --unroll-count}: bc_addtree's leaf loop runs over up to a layer's SIMD terms; unrolled,
     * its bit selects are constants, while a loop beyond Verilator's default of 64 extracts them bit
     * by bit from the wide input every cycle. {@code OPT_FAST=-O2}: the model's code compiled for
     * speed (Verilator's default -Os), at about the same compile time. Figures: docs/results.md.
     */
    static final List<String> MODEL_FLAGS = List.of("-O3", "--x-assign", "fast", "--x-initial", "fast",
            "--unroll-count", "1024", "-MAKEFLAGS", "OPT_FAST=-O2");

    /**
     * Builds {@code sources} (from {@code rtlDir}) plus {@code extraFiles} (name to content, written
     * into the build folder; C++ files are the testbench) with top module {@code top} into
     * {@code cacheRoot/<hash>}, unless that build already exists with the checksum recorded at its
     * build ({@link #CHECKSUM_FILE}). {@code trace} adds FST tracing.
     */
    public Build build(Path rtlDir, List<String> sources, java.util.Map<String, String> extraFiles, String top,
            boolean trace, Path cacheRoot, Duration timeout) {
        return build(rtlDir, sources, extraFiles, top, trace, cacheRoot, timeout, null);
    }

    /**
     * As {@link #build}, but a cached build is discarded first, because {@code reason} (such as: its
     * binary crashed, which a checksum recorded after the damage would not show).
     */
    public Build rebuild(Path rtlDir, List<String> sources, java.util.Map<String, String> extraFiles, String top,
            boolean trace, Path cacheRoot, Duration timeout, String reason) {
        return build(rtlDir, sources, extraFiles, top, trace, cacheRoot, timeout, reason);
    }

    private Build build(Path rtlDir, List<String> sources, java.util.Map<String, String> extraFiles, String top,
            boolean trace, Path cacheRoot, Duration timeout, String discardBecause) {
        String hash = hashInputs(rtlDir, sources, extraFiles, top + (trace ? "+trace" : "") + " " + String.join(" ", MODEL_FLAGS));
        Path dir = cacheRoot.resolve(hash);
        Path binary = dir.resolve("obj_dir").resolve("Vsim");
        String rebuiltBecause = discardBecause;
        if (rebuiltBecause == null && Files.isExecutable(binary)) {
            rebuiltBecause = damage(dir, binary);
            if (rebuiltBecause == null) {
                return new Build(binary, true, 0, null);
            }
        }
        long start = System.nanoTime();
        Path partial = cacheRoot.resolve(hash + ".partial");
        AtomicFiles.deleteTree(partial);
        try {
            Reaper.watchFolder(partial);  // before it exists: a build killed half way must not stay in the cache
            Files.createDirectories(partial);
            List<String> cmd = new ArrayList<>(List.of(
                    executable.toString(),
                    "--cc", "--exe", "--build",       // C++ model + our main(), compiled by make
                    "-j", "2",                         // this machine's cores
                    "-Wall",                           // lint everything; warnings fail the build
                    "--top-module", top,
                    "-Mdir", "obj_dir",
                    "-o", "Vsim"));
            cmd.addAll(MODEL_FLAGS);
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
                if (!e.getKey().endsWith(".h")) {
                    cmd.add(e.getKey());  // a header is included by the testbench, not compiled on its own
                }
            }
            ExternalTool.Result r = ExternalTool.run(cmd, partial, partial.resolve("build.log"), timeout);
            if (r.exitCode() != 0) {
                Path kept = cacheRoot.resolve(hash + ".failed");
                AtomicFiles.deleteTree(kept);
                Files.move(partial, kept);
                throw new BcflowException("Verilator build failed: " + firstProblem(r.output()) + " (log: "
                        + kept.resolve("build.log") + ")");
            }
            Files.writeString(partial.resolve(CHECKSUM_FILE), FileHash.sha256(partial.resolve("obj_dir").resolve("Vsim")) + "\n");
            AtomicFiles.deleteTree(dir);
            Files.move(partial, dir);
        } catch (IOException e) {
            throw new BcflowException("cannot prepare the Verilator build in " + partial + ": " + e.getMessage());
        } finally {
            AtomicFiles.deleteTree(partial);
            Reaper.forgetFolder(partial);
        }
        return new Build(binary, false, (System.nanoTime() - start) / 1e9, rebuiltBecause);
    }

    /** Why a cached binary cannot be trusted, or null when it has the checksum recorded at its build. */
    private static String damage(Path dir, Path binary) {
        Path record = dir.resolve(CHECKSUM_FILE);
        if (!Files.isRegularFile(record)) {
            return "the cached build has no recorded checksum";
        }
        try {
            String recorded = Files.readString(record).strip();
            String actual = FileHash.sha256(binary);
            return recorded.equals(actual) ? null
                    : "the cached simulator's SHA-256 is " + actual.substring(0, 12) + ", its build recorded " + recorded.substring(0, Math.min(12, recorded.length()));
        } catch (IOException e) {
            return "the cached build cannot be read (" + e.getMessage() + ")";
        }
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
