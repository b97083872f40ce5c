package org.bcflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.OutputFolder;
import org.bcflow.core.RandomNetwork;
import org.bcflow.core.data.Datasets;
import org.bcflow.sim.Verilator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code verify}, {@code flow} and {@code explore} at random moments (SIGTERM, SIGINT, SIGKILL) and checks
 * what is left: no process of the run, no temporary folder, the old outputs or the complete new
 * ones (never a mixture), and a rerun that succeeds.
 */
class InterruptionTest {
    @TempDir
    Path tmp;
    private Path scratch;

    @BeforeEach
    void needMnistAndVerilator() throws IOException {
        boolean ci = System.getenv("CI") != null;
        assumeTrue(ci || Files.isDirectory(Datasets.folderOf("mnist")), "MNIST not fetched (run ./bcflow setup)");
        assumeTrue(ci || Verilator.available(), "Verilator not installed");
        scratch = Files.createDirectories(tmp.resolve("java-tmp"));
    }

    @Test
    void verifyKilledAnywhereLeavesNothingRunningAndTheOldReportOrTheNewOne() throws Exception {
        Path net = tmp.resolve("net.bcnet");
        NetworkFile.write(RandomNetwork.create(3, new int[] {784, 64, 10}, new int[] {8, 4}), net);
        Path rtl = tmp.resolve("rtl");
        assertEquals(0, Cli.run("rtl", "--network", net.toString(), "--out", rtl.toString()).exitCode());
        String[] verify = {"verify", "--rtl", rtl.toString(), "--count", "5000", "--jobs", "2", "--backpressure", "200,300"};
        interruptAndRerun(rtl, verify, verify, new String[] {"TERM", "KILL in simulation", "INT"}, 11);
    }

    @Test
    void flowKilledAnywhereLeavesNothingRunningAndTheOldOutputsOrTheNewOnes() throws Exception {
        Path out = tmp.resolve("out");
        String[] flow = {"flow", "--out", out.toString(), "--hidden", "32", "--epochs", "2", "--train-limit", "4000",
                "--no-validation", "--act-bits", "2", "--count", "3000", "--backpressure", "100,100"};
        String[] rerun = java.util.stream.Stream.concat(Stream.of(flow), Stream.of("--resume")).toArray(String[]::new);
        interruptAndRerun(out, flow, rerun, new String[] {"KILL", "TERM in simulation", "KILL"}, 12);
    }

    @Test
    void exploreKilledMidSweepLeavesNothingRunningAndTheRerunResumes() throws Exception {
        assumeTrue(System.getenv("CI") != null || ExploreTest.onPath("nextpnr-ice40"), "nextpnr-ice40 not installed");
        Path out = tmp.resolve("sweep");
        String[] explore = {"explore", "--space", ExploreTest.space(tmp, ExploreTest.SPACE).toString(), "--out", out.toString()};
        Path trained = null;
        java.nio.file.attribute.FileTime trainedAt = null;
        for (String signal : List.of("KILL", "TERM")) {
            Run run = start(explore);
            // killed while a point's task runs a tool: the driver, its tasks and their tools must all go
            Set<Long> seen = run.watchUntilCommand(240, c -> c.endsWith("/yosys") || c.endsWith("/nextpnr-ice40")
                    || c.endsWith("/Vsim") || c.endsWith("/verilator_bin"));
            assertTrue(run.process.isAlive(), "the sweep ended before a tool ran: " + run.log());
            run.signal(signal);
            run.waitFor();
            String what = signal + " during a point";
            assertNoneLeft(seen, what);
            assertScratchEmpty(what);
            if (trained == null) {
                try (Stream<Path> models = Files.list(out.resolve("models"))) {
                    trained = models.findFirst().orElseThrow().resolve("train.json");
                }
                trainedAt = Files.getLastModifiedTime(trained);
            }
        }
        Run again = start(explore);
        assertEquals(0, again.waitFor(), again.log());
        assertEquals(trainedAt, Files.getLastModifiedTime(trained), "the model was trained again");
        var rows = ExploreTest.rows(out);
        assertEquals(2, rows.values().stream().filter(r -> r.get("status").equals("ok") && r.get("mismatches").equals("0")).count(),
                rows.toString());
        assertScratchEmpty("the rerun");
    }

    private void interruptAndRerun(Path out, String[] command, String[] rerun, String[] signals, long seed) throws Exception {
        long t0 = System.nanoTime();
        Run complete = start(command);
        assertEquals(0, complete.waitFor(), complete.log());
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, String> old = UserWorkTest.snapshot(out);
        assertVouched(out);
        Random rnd = new Random(seed);
        for (String when : signals) {
            String signal = when.split(" ")[0];
            boolean inSimulation = when.endsWith("in simulation");
            double at = inSimulation ? 4 * seconds : seconds * (0.1 + 0.8 * rnd.nextDouble());
            Run run = start(command);
            long start = System.nanoTime();
            Set<Long> seen = run.watchUntil(at, inSimulation);
            boolean stillRunning = run.process.isAlive();
            assertTrue(!inSimulation || stillRunning, "no simulator seen running: " + run.log());
            run.signal(signal);
            run.waitFor();
            String what = signal + " after " + String.format("%.1f", (System.nanoTime() - start) / 1e9) + " s of "
                    + String.format("%.1f", seconds) + " s (" + (stillRunning ? "running" : "already done") + ")";
            assertNoneLeft(seen, what);
            assertScratchEmpty(what);
            finishAnInterruptedCommit(out);
            Map<String, String> now = UserWorkTest.snapshot(out);
            if (!now.equals(old)) {
                assertEquals(old.keySet(), now.keySet(), "not the old outputs nor the complete new ones, " + what);
                assertVouched(out);
            }
            assertFalse(Files.exists(out.resolve(OutputFolder.STAGING)), "staging left, " + what);
            Run again = start(rerun);
            assertEquals(0, again.waitFor(), "rerun after " + what + ": " + again.log());
            assertEquals(old.keySet(), UserWorkTest.snapshot(out).keySet(), what);
            assertVouched(out);
            assertScratchEmpty("rerun after " + what);
        }
    }

    /** A commit cut short by the kill is completed by the next run that opens the folder, as the rerun would. */
    private static void finishAnInterruptedCommit(Path out) {
        if (Files.exists(out.resolve(OutputFolder.STAGING).resolve(".commit.json"))) {
            OutputFolder.open(out, "test", List.of(), Set.of(), false).close();
        }
    }

    /** Every file in the folder is recorded, with its hash, in a manifest at or above it. */
    private static void assertVouched(Path out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<Path> vouched = new HashSet<>();
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path m : walk.filter(p -> p.getFileName().toString().equals(OutputFolder.MANIFEST)).toList()) {
                JsonNode entries = json.readTree(m.toFile()).get("entries");
                for (var e = entries.fields(); e.hasNext(); ) {
                    var entry = e.next();
                    for (var f = entry.getValue().get("files").fields(); f.hasNext(); ) {
                        var file = f.next();
                        Path p = m.getParent().resolve(entry.getKey());
                        p = file.getKey().isEmpty() ? p : p.resolve(file.getKey());
                        if (Files.isRegularFile(p) && UserWorkTest.sha256(p).equals(file.getValue().asText())) {
                            vouched.add(p);
                        }
                    }
                }
            }
        }
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.equals(OutputFolder.MANIFEST) || name.equals(OutputFolder.LOCK)
                        || out.relativize(f).startsWith(OutputFolder.RESUME)) {
                    continue;
                }
                assertTrue(vouched.contains(f), f + " is not what its manifest says");
            }
        }
    }

    private void assertScratchEmpty(String what) throws IOException {
        try (Stream<Path> s = Files.list(scratch)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).toList(), "temporary files left, " + what);
        }
    }

    /** Waits up to 5 s for every process the run had to be gone: an orphaned simulator would still be running. */
    private static void assertNoneLeft(Set<Long> pids, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> alive = new ArrayList<>();
        do {
            alive.clear();
            for (long pid : pids) {
                ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                        .ifPresent(p -> alive.add(pid + " " + p.info().commandLine().orElse("?")));
            }
            if (alive.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("processes left after " + what + ": " + alive);
    }

    private Run start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + scratch, "-cp", System.getProperty("java.class.path"),
                org.bcflow.cli.Main.class.getName()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "run", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return new Run(pb.start(), log);
    }

    private record Run(Process process, Path logFile) {
        int waitFor() throws InterruptedException {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("bcflow did not finish");
            }
            return process.exitValue();
        }

        String log() throws IOException {
            return Files.readString(logFile);
        }

        /**
         * Watches the run's processes for {@code seconds}, or until a simulator runs: every pid seen
         * (the JVM, its children, theirs).
         */
        Set<Long> watchUntil(double seconds, boolean untilSimulating) throws InterruptedException {
            Set<Long> seen = new HashSet<>(Set.of(process.pid()));
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end && process.isAlive()) {
                process.descendants().forEach(p -> seen.add(p.pid()));
                if (untilSimulating && process.descendants().anyMatch(p -> p.info().command().orElse("").endsWith("/Vsim"))) {
                    break;
                }
                Thread.sleep(20);
            }
            process.descendants().forEach(p -> seen.add(p.pid()));
            return seen;
        }

        /** Watches the run's processes for up to {@code seconds}, until one whose command matches runs: every pid seen. */
        Set<Long> watchUntilCommand(double seconds, java.util.function.Predicate<String> command) throws InterruptedException {
            Set<Long> seen = new HashSet<>(Set.of(process.pid()));
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end && process.isAlive()) {
                process.descendants().forEach(p -> seen.add(p.pid()));
                if (process.descendants().anyMatch(p -> command.test(p.info().command().orElse("")))) {
                    break;
                }
                Thread.sleep(20);
            }
            process.descendants().forEach(p -> seen.add(p.pid()));
            return seen;
        }

        void signal(String name) throws IOException, InterruptedException {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        }
    }
}
