package org.bcflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bcflow.core.OutputFolder;
import org.bcflow.core.data.IdxWriter;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.sim.Verilator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No command destroys what it did not write, and a run's outputs appear all at once or not at all. */
class UserWorkTest {
    @TempDir
    Path tmp;

    /** 8x8 images in 4 classes, a bright band in rows 2k and 2k+1 for class k: learnable in one epoch. */
    static Path bands(Path dir, int count, int side) {
        Random rnd = new Random(side);
        byte[] pixels = new byte[count * side * side];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int k = rnd.nextInt(4);
            labels[i] = (byte) k;
            for (int p = 0; p < side * side; p++) {
                pixels[i * side * side + p] = (byte) ((p / side) / 2 == k ? 150 + rnd.nextInt(100) : rnd.nextInt(120));
            }
        }
        IdxWriter.writeFolder(new LabeledImages(count, side, side, pixels, labels, 10), dir);
        return dir;
    }

    /** Every file under dir (bcflow's lock and resume area aside) with its SHA-256. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                String rel = dir.relativize(f).toString();
                if (Files.isRegularFile(f) && !rel.endsWith(OutputFolder.LOCK) && !rel.startsWith(OutputFolder.RESUME)) {
                    out.put(rel, sha256(f));
                }
            }
        }
        return out;
    }

    static String sha256(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Exit 2 with one error line (progress lines of the stages before it aside), no stack trace. */
    static void assertFailsWith(Cli r, String expected) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("bcflow ")).toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).contains(expected), errors.get(0));
        assertFalse(r.err().contains("\tat "), "stack trace printed: " + r.err());
    }

    static void assertOneLineError(Cli r, String expected) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.errorLines().size(), "expected one line, got: " + r.err());
        assertTrue(r.errorLines().get(0).contains(expected), r.errorLines().get(0));
        assertFalse(r.err().contains("\tat "), "stack trace printed: " + r.err());
    }

    private Cli train(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(), "--hidden",
                "8", "--epochs", "1", "--batch", "50", "--no-validation"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void rtlNeverReplacesWhatTrainAndExportWrote() throws IOException {
        Path data = bands(tmp.resolve("data"), 400, 8);
        Path out = tmp.resolve("out");
        assertEquals(0, train(data, out).exitCode());
        assertEquals(0, Cli.run("export", "--data", data.toString(), "--out", out.toString(), "--act-bits", "2").exitCode());
        Map<String, String> before = snapshot(out);
        assertTrue(before.keySet().containsAll(List.of("model.ckpt", "train.json", "metrics.csv", "errors.png",
                "weights.png", "network.bcnet")), before.keySet().toString());

        // the case that used to wipe the trained model: rtl into the folder train and export wrote
        assertOneLineError(Cli.run("rtl", "--network", out.resolve("network.bcnet").toString(), "--out", out.toString()),
                "was written by bcflow train: bcflow rtl replaces only its own outputs; give another --out, or --force");
        assertEquals(before, snapshot(out));

        // a file at --out is refused, and left as it is
        Path file = tmp.resolve("notes.txt");
        Files.writeString(file, "mine");
        assertOneLineError(Cli.run("rtl", "--network", out.resolve("network.bcnet").toString(), "--out", file.toString()),
                file + " is a file, not a folder");
        assertEquals("mine", Files.readString(file));

        // rtl's own folder is rebuilt freely; a file of the user's in it stops rtl
        Path rtl = out.resolve("rtl");
        assertEquals(0, Cli.run("rtl", "--network", out.resolve("network.bcnet").toString(), "--out", rtl.toString()).exitCode());
        assertEquals(0, Cli.run("rtl", "--network", out.resolve("network.bcnet").toString(), "--out", rtl.toString(),
                "--pe", "2").exitCode());
        Files.writeString(rtl.resolve("my-testbench.v"), "// mine");
        Map<String, String> design = snapshot(rtl);
        assertOneLineError(Cli.run("rtl", "--network", out.resolve("network.bcnet").toString(), "--out", rtl.toString()),
                "my-testbench.v was not written by bcflow");
        assertEquals(design, snapshot(rtl));
        // --force replaces what collides, and still leaves the user's file alone
        assertEquals(0, Cli.run("rtl", "--network", out.resolve("network.bcnet").toString(), "--out", rtl.toString(),
                "--force").exitCode());
        assertEquals("// mine", Files.readString(rtl.resolve("my-testbench.v")));
        assertEquals(before, snapshot(out).entrySet().stream().filter(e -> !e.getKey().startsWith("rtl/"))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new)));
    }

    @Test
    void theDefaultFoldersOfTrainExportAndRtlDoNotCollide() throws Exception {
        Path data = bands(tmp.resolve("data"), 400, 8);
        Path work = Files.createDirectories(tmp.resolve("work"));
        for (String[] args : new String[][] {
                {"train", "--data", data.toString(), "--hidden", "8", "--epochs", "1", "--no-validation"},
                {"export", "--data", data.toString(), "--act-bits", "2"},
                {"rtl", "--network", "bcflow-out/network.bcnet"}}) {
            Cli r = Cli.runWithEnvironment(Map.of("OMP_NUM_THREADS", "1"), work, args);
            assertEquals(0, r.exitCode(), r.err());
        }
        for (String f : new String[] {"model.ckpt", "train.json", "network.bcnet", "roms", "rtl/bcnet.v", "rtl/design.json"}) {
            assertTrue(Files.exists(work.resolve("bcflow-out").resolve(f)), f);
        }
    }

    @Test
    void exportRefusesAModelOfAnotherShapeAndWritesNothing() throws IOException {
        Path out = tmp.resolve("out");
        assertEquals(0, train(bands(tmp.resolve("data8"), 400, 8), out).exitCode());
        Map<String, String> before = snapshot(out);
        assertOneLineError(Cli.run("export", "--data", bands(tmp.resolve("data10"), 100, 10).toString(), "--out",
                out.toString()), "is a model of 64 inputs and 10 classes, but data10 has images of 1x10x10 (100 values) and 10 classes");
        assertEquals(before, snapshot(out));
    }

    @Test
    void trainRefusesAnUnusableOutBeforeTraining() throws IOException {
        Path data = bands(tmp.resolve("data"), 400, 8);
        Path file = tmp.resolve("file");
        Files.writeString(file, "mine");
        long t0 = System.nanoTime();
        assertOneLineError(train(data, file, "--epochs", "500"), file + " is a file, not a folder");
        assertOneLineError(train(data, file.resolve("sub"), "--epochs", "500"), "cannot write " + file.resolve("sub"));
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "refused only after training");
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void anInterruptedTrainingIsNeitherLostNorSilentlyContinued() throws IOException {
        Path data = bands(tmp.resolve("data"), 400, 8);
        Path out = tmp.resolve("out");
        assertEquals(0, train(data, out).exitCode());
        Map<String, String> finished = snapshot(out);
        // what a killed run leaves: its checkpoint in the resume area (here one at its last epoch)
        Files.createDirectories(out.resolve(OutputFolder.RESUME));
        Files.copy(out.resolve("model.ckpt"), out.resolve(OutputFolder.RESUME).resolve("model.ckpt"));
        assertOneLineError(train(data, out), "holds the checkpoint of an interrupted run");
        assertEquals(finished, snapshot(out));
        Cli resumed = train(data, out, "--resume");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.err().contains("resuming from"), resumed.err());
        assertFalse(Files.exists(out.resolve(OutputFolder.RESUME)));
        assertEquals(finished.get("model.ckpt"), snapshot(out).get("model.ckpt"));
    }

    @Test
    void aFailedFlowLeavesTheOldOutputsAsTheyWere() throws IOException {
        assumeTrue(Verilator.available() || System.getenv("CI") != null, "Verilator not installed");
        Path data = bands(tmp.resolve("data"), 300, 8);
        Path out = tmp.resolve("out");
        List<String> flow = List.of("flow", "--data", data.toString(), "--out", out.toString(), "--hidden", "8", "--epochs",
                "1", "--batch", "50", "--no-validation", "--act-bits", "2");
        Cli first = Cli.run(flow.toArray(String[]::new));
        assertEquals(0, first.exitCode(), first.err());
        Map<String, String> before = snapshot(out);
        assertTrue(before.keySet().containsAll(List.of("model.ckpt", "network.bcnet", "report.json", "rtl/bcnet.v")));

        // fails after training (no PE of 3 divides 8 neurons): nothing of the new run may show
        List<String> failing = new ArrayList<>(flow);
        failing.addAll(List.of("--seed", "2", "--pe", "3"));
        assertFailsWith(Cli.run(failing.toArray(String[]::new)), "PE=3 does not divide its 8 outputs");
        assertEquals(before, snapshot(out));
        assertFalse(Files.exists(out.resolve(OutputFolder.STAGING)));

        // a --count the test set cannot give is refused before training
        List<String> tooMany = new ArrayList<>(flow);
        tooMany.addAll(List.of("--count", "301", "--epochs", "500"));
        long t0 = System.nanoTime();
        assertOneLineError(Cli.run(tooMany.toArray(String[]::new)), "--count 301 is more than the 300 test images");
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "refused only after training");
        assertEquals(before, snapshot(out));
    }

    @Test
    void aSecondRunOnTheSameFolderIsRefusedWhileTheFirstHoldsIt() throws Exception {
        Path data = bands(tmp.resolve("data"), 2000, 8);
        Path out = tmp.resolve("out");
        Path work = Files.createDirectories(tmp.resolve("work"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), org.bcflow.cli.Main.class.getName(), "train", "--data",
                data.toString(), "--out", out.toString(), "--hidden", "64", "--epochs", "400", "--batch", "20",
                "--no-validation", "--seed", "1"));
        Process first = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("first.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(out.resolve(OutputFolder.LOCK)) && Files.size(out.resolve(OutputFolder.LOCK)) > 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(first.isAlive(), Files.readString(work.resolve("first.log")));
            assertOneLineError(train(data, out, "--seed", "2"), out + " is in use by another bcflow run (pid " + first.pid()
                    + ", bcflow train): wait for it to finish, or give another --out");
        } finally {
            first.destroy();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        // the killed holder leaves no stuck lock: the next run goes through
        assertEquals(0, train(data, out, "--force").exitCode());
        assertTrue(Files.exists(out.resolve("model.ckpt")));
    }

    @Test
    void theLauncherRebuildsForTheProjectsSourcesOnly() throws Exception {
        Path script = Path.of("..", "scripts", "stale-sources.sh").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(script), script.toString());
        Path root = tmp.resolve("checkout");
        Path source = root.resolve("core/src/main/java/A.java");
        Path jar = root.resolve("cli/target/bcflow.jar");
        Path generated = root.resolve("bcflow-out/rtl/bcnet.v");
        Path primitive = root.resolve("hw/rtl/bc_dense.v");
        for (Path p : List.of(source, jar, generated, primitive)) {
            Files.createDirectories(p.getParent());
            Files.writeString(p, "x");
        }
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(source, FileTime.fromMillis(now - 60_000));
        Files.setLastModifiedTime(primitive, FileTime.fromMillis(now - 60_000));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(now - 30_000));
        Files.setLastModifiedTime(generated, FileTime.fromMillis(now));
        assertEquals("", stale(script, root, jar), "a generated .v made the launcher rebuild");
        Files.setLastModifiedTime(primitive, FileTime.fromMillis(now));
        assertEquals(primitive.toString(), stale(script, root, jar));
        Files.setLastModifiedTime(primitive, FileTime.fromMillis(now - 60_000));
        Files.setLastModifiedTime(source, FileTime.fromMillis(now));
        assertEquals(source.toString(), stale(script, root, jar));
    }

    private static String stale(Path script, Path root, Path jar) throws Exception {
        Process p = new ProcessBuilder(script.toString(), root.toString(), jar.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }
}
