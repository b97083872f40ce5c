package org.bcflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bcflow.core.NetworkFile;
import org.bcflow.core.RandomNetwork;
import org.bcflow.sim.Verilator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Campaigns on a real Slurm (the local one-node cluster ./bcflow test starts as root): the same
 * results as on this machine, a task cancelled mid-run retried with nothing lost, Slurm's refusals
 * in one line.
 */
class SlurmCampaignTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeEach
    void needsSlurmAndVerilator() throws Exception {
        boolean ci = System.getenv("CI") != null;
        assumeTrue(ci || onPath("sbatch"), "no sbatch on PATH (and CI unset): Slurm tests skipped");
        assumeTrue(ci || Verilator.available(), "Verilator not installed");
        Process p = new ProcessBuilder("sinfo", "-h").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                "Slurm does not answer (start the local cluster: sudo scripts/slurm-local.sh start): " + out);
    }

    private static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, name))) {
                return true;
            }
        }
        return false;
    }

    /** "case i/N: <case>: ok|FAIL ..." of a campaign's output, the retry remark left out. */
    private static List<String> caseLines(Cli r) {
        return r.err().lines().filter(l -> l.startsWith("[fuzz] case "))
                .map(l -> l.replaceFirst(" \\(run \\d+ times.*\\)$", "")).toList();
    }

    /** A thread that scancels the first bcflow array task it sees running (within a minute) and names it in {@code cancelled}. */
    private static Thread cancelFirstRunningTask(AtomicReference<String> cancelled) {
        Thread canceller = new Thread(() -> {
            long end = System.currentTimeMillis() + 60_000;
            while (cancelled.get() == null && System.currentTimeMillis() < end) {
                try {
                    Process q = new ProcessBuilder("squeue", "-h", "-t", "RUNNING", "-o", "%i %j").start();
                    String out = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    q.waitFor();
                    String task = out.lines().filter(l -> l.contains("bcflow-") && l.contains("_")).map(l -> l.split(" ")[0])
                            .findFirst().orElse(null);
                    if (task != null && new ProcessBuilder("scancel", task).start().waitFor() == 0) {
                        cancelled.set(task);
                    }
                    Thread.sleep(100);
                } catch (Exception e) {
                    return;
                }
            }
        });
        canceller.start();
        return canceller;
    }

    @Test
    void anExploreOnSlurmGivesTheLocalRowsEvenWithATaskCancelled() throws Exception {
        assumeTrue(System.getenv("CI") != null || ExploreTest.onPath("nextpnr-ice40"), "nextpnr-ice40 not installed");
        Path space = ExploreTest.space(tmp, ExploreTest.SPACE);
        Cli local = Cli.run("explore", "--space", space.toString(), "--out", tmp.resolve("local").toString());
        assertEquals(0, local.exitCode(), local.err());
        AtomicReference<String> cancelled = new AtomicReference<>();
        Thread canceller = cancelFirstRunningTask(cancelled);
        Cli slurm = Cli.run("explore", "--space", space.toString(), "--executor", "slurm", "--out", tmp.resolve("slurm").toString());
        canceller.join();
        assertEquals(0, slurm.exitCode(), slurm.err());
        var rows = ExploreTest.withoutTimes(ExploreTest.rows(tmp.resolve("slurm")));
        assertEquals(ExploreTest.withoutTimes(ExploreTest.rows(tmp.resolve("local"))), rows);
        assertEquals(2, rows.values().stream().filter(r -> r.get("status").equals("ok")).count(), rows.toString());
        assertTrue(cancelled.get() != null, "no array task was seen running to cancel");
        assertTrue(slurm.err().contains("(run 2 times"), "the cancelled task " + cancelled.get() + " was not run again:\n" + slurm.err());
        assertTrue(slurm.err().contains("tools on the nodes: nextpnr-ice40: "), slurm.err());
    }

    @Test
    void anExploreDryRunPrintsBothBatchesAndSbatchRefusingIsOneLine() throws Exception {
        Path space = ExploreTest.space(tmp, ExploreTest.SPACE);
        Path out = tmp.resolve("out");
        Cli dry = Cli.run("explore", "--space", space.toString(), "--executor", "slurm", "--dry-run", "--out", out.toString());
        assertEquals(0, dry.exitCode(), dry.err());
        assertTrue(dry.out().contains("#SBATCH --array=0-0") && dry.out().contains("#SBATCH --array=0-3"), dry.out());
        assertTrue(dry.out().contains(" train ") && dry.out().contains("explore-task"), dry.out());
        assertFalse(Files.exists(out), "a dry run left " + out);
        Cli refused = Cli.run("explore", "--space", space.toString(), "--executor", "slurm",
                "--sbatch-args=--partition=nosuchpartition", "--out", out.toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertEquals(1, refused.errorLines().size(), refused.err());
        assertTrue(refused.errorLines().get(0).contains("sbatch refused the job"), refused.err());
        assertFalse(Files.exists(out), "a refused sweep left " + out);
    }

    @Test
    void aFuzzCampaignOnSlurmMatchesTheLocalOneEvenWithATaskCancelled() throws Exception {
        Cli local = Cli.run("fuzz", "--count", "6", "--seed", "12", "--out", tmp.resolve("local").toString());
        assertEquals(0, local.exitCode(), local.err());
        // scancel the first array task seen running; the campaign must run it again and lose nothing
        AtomicReference<String> cancelled = new AtomicReference<>();
        Thread canceller = cancelFirstRunningTask(cancelled);
        Cli slurm = Cli.run("fuzz", "--count", "6", "--seed", "12", "--executor", "slurm", "--out", tmp.resolve("slurm").toString());
        canceller.join();
        assertEquals(0, slurm.exitCode(), slurm.err());
        assertEquals(caseLines(local), caseLines(slurm));
        assertEquals(6, caseLines(slurm).size());
        assertTrue(cancelled.get() != null, "no array task was seen running to cancel");
        assertTrue(slurm.err().contains("(run 2 times"), "the cancelled task " + cancelled.get() + " was not run again:\n" + slurm.err());
        assertTrue(slurm.err().contains("tools on the nodes: verilator: Verilator"), slurm.err());
    }

    @Test
    void aPlantedFaultIsCaughtOnSlurmToo() {
        Cli r = Cli.run("fuzz", "--count", "2", "--seed", "4", "--plant-fault", "--executor", "slurm", "--shrink", "0", "--out",
                tmp.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.out().contains("fuzz: FAILED after 1 cases"), r.out());
    }

    @Test
    void verifyShardsOnSlurmGiveTheLocalResult() throws Exception {
        Path net = tmp.resolve("net.bcnet");
        NetworkFile.write(RandomNetwork.create(3, new int[] {784, 16, 10}, new int[] {8, 2}), net);
        Path rtl = tmp.resolve("rtl");
        assertEquals(0, Cli.run("rtl", "--network", net.toString(), "--out", rtl.toString()).exitCode());
        Cli local = Cli.run("verify", "--rtl", rtl.toString(), "--count", "300", "--jobs", "3", "--report",
                tmp.resolve("local.json").toString());
        Cli slurm = Cli.run("verify", "--rtl", rtl.toString(), "--count", "300", "--jobs", "3", "--executor", "slurm",
                "--report", tmp.resolve("slurm.json").toString());
        assertEquals(0, local.exitCode(), local.err());
        assertEquals(0, slurm.exitCode(), slurm.err());
        JsonNode a = JSON.readTree(tmp.resolve("local.json").toFile());
        JsonNode b = JSON.readTree(tmp.resolve("slurm.json").toFile());
        for (String field : List.of("/mismatches", "/hardware_accuracy", "/total_cycles", "/latency_measured",
                "/cycles_per_image_measured", "/interval_max", "/jobs", "/passed")) {
            assertFalse(a.at(field).isMissingNode(), field);
            assertEquals(a.at(field), b.at(field), field);
        }
        assertTrue(slurm.err().contains("3 image shards on slurm"), slurm.err());
    }

    @Test
    void slurmRefusalsAreOneLineAndWriteNothing() throws Exception {
        Path out = tmp.resolve("out");
        Cli refused = Cli.run("fuzz", "--count", "2", "--executor", "slurm", "--sbatch-args=--partition=nosuchpartition",
                "--out", out.toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertEquals(1, refused.errorLines().size(), refused.err());
        assertTrue(refused.errorLines().get(0).contains("sbatch refused the job"), refused.err());
        // a PATH without Slurm's commands (Verilator named by its variable instead)
        Cli unreachable = Cli.runWithEnvironment(Map.of("PATH", "/nonexistent:" + Path.of(System.getProperty("java.home"), "bin"),
                "VERILATOR", org.bcflow.sim.Verilator.locate().executable().toString()), tmp, "fuzz", "--count", "2", "--executor", "slurm", "--out", out.toString());
        assertEquals(2, unreachable.exitCode(), unreachable.err());
        assertTrue(unreachable.err().contains("Slurm not reachable"), unreachable.err());
        Cli misplaced = Cli.run("fuzz", "--count", "2", "--partition", "debug", "--out", out.toString());
        assertEquals(2, misplaced.exitCode());
        assertTrue(misplaced.err().contains("--partition is for --executor slurm"), misplaced.err());
        assertFalse(Files.exists(out.resolve("fuzz").resolve("tasks")), "a refused campaign left its tasks");
    }

    @Test
    void aDryRunPrintsTheScriptAndSubmitsNothing() {
        Cli r = Cli.run("fuzz", "--count", "3", "--seed", "1", "--executor", "slurm", "--dry-run", "--out", tmp.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("#SBATCH --array=0-2"), r.out());
        assertTrue(r.out().contains("fuzz-task"), r.out());
        assertFalse(r.out().contains("no mismatch"), r.out());
    }
}
