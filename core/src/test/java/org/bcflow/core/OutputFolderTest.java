package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An output folder replaces only its own command's outputs, all at once, one run at a time. */
class OutputFolderTest {
    @TempDir
    Path tmp;

    /** Runs {@code command} writing name=content pairs into dir and commits. */
    private static void run(Path dir, String command, List<String> names, boolean force, String... nameContent) {
        try (OutputFolder out = OutputFolder.open(dir, command, names, Set.of(), force)) {
            for (int i = 0; i < nameContent.length; i += 2) {
                AtomicFiles.writeString(out.stage(nameContent[i]), nameContent[i + 1]);
            }
            out.commit();
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(OutputFolder.LOCK)).sorted().toList();
        }
    }

    @Test
    void aCommitPutsEverythingInPlaceAndLeavesNoScaffolding() throws IOException {
        Path dir = tmp.resolve("a/b/out");
        run(dir, "train", List.of("model.ckpt", "train.json"), false, "model.ckpt", "m1", "train.json", "t1");
        assertEquals(List.of(OutputFolder.MANIFEST, "model.ckpt", "train.json"), listing(dir));
        assertEquals("m1", Files.readString(dir.resolve("model.ckpt")));
    }

    @Test
    void anotherCommandsOutputIsRefusedWithOneLineAndLeftAlone() throws IOException {
        Path dir = tmp.resolve("out");
        run(dir, "train", List.of("model.ckpt", "network.bcnet"), false, "model.ckpt", "m1", "network.bcnet", "n1");
        BcflowException e = assertThrows(BcflowException.class,
                () -> run(dir, "rtl", null, false, "bcnet.v", "v", "network.bcnet", "n2"));
        assertTrue(e.getMessage().contains("model.ckpt was written by bcflow train: bcflow rtl replaces only its own"
                + " outputs; give another --out, or --force"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals("n1", Files.readString(dir.resolve("network.bcnet")));
        assertEquals(List.of(OutputFolder.MANIFEST, "model.ckpt", "network.bcnet"), listing(dir));
    }

    @Test
    void aUsersFileIsNeverReplacedWithoutForce() throws IOException {
        Path dir = tmp.resolve("out");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        // a command that owns the whole folder refuses a folder holding someone else's file
        BcflowException e = assertThrows(BcflowException.class, () -> run(dir, "rtl", null, false, "bcnet.v", "v"));
        assertTrue(e.getMessage().contains("notes.txt was not written by bcflow"), e.getMessage());
        // a command with its own names writes beside it, and over it only with --force
        run(dir, "train", List.of("model.ckpt"), false, "model.ckpt", "m1");
        assertThrows(BcflowException.class, () -> run(dir, "train", List.of("notes.txt"), false, "notes.txt", "x"));
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
        run(dir, "train", List.of("notes.txt"), true, "notes.txt", "forced");
        assertEquals("forced", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void anOutputChangedByHandBecomesTheUsers() throws IOException {
        Path dir = tmp.resolve("out");
        run(dir, "rtl", null, false, "bcnet.v", "v1", "w.mem", "0");
        Files.writeString(dir.resolve("bcnet.v"), "v1 edited by hand");
        BcflowException e = assertThrows(BcflowException.class, () -> run(dir, "rtl", null, false, "bcnet.v", "v2"));
        assertTrue(e.getMessage().contains("bcnet.v was not written by bcflow or was changed since"), e.getMessage());
        assertEquals("v1 edited by hand", Files.readString(dir.resolve("bcnet.v")));
    }

    @Test
    void aRerunReplacesItsOwnOutputsAndDropsTheOnesItNoLongerWrites() throws IOException {
        Path dir = tmp.resolve("out");
        run(dir, "rtl", null, false, "bcnet.v", "v1", "dense2_weights.mem", "old layer");
        run(dir, "rtl", null, false, "bcnet.v", "v2");
        assertEquals(List.of(OutputFolder.MANIFEST, "bcnet.v"), listing(dir));
        assertEquals("v2", Files.readString(dir.resolve("bcnet.v")));
    }

    @Test
    void anOutputOfAnotherCommandInsideAFolderOutputIsVouchedForByItsOwnManifest() throws IOException {
        Path dir = tmp.resolve("out");
        try (OutputFolder out = OutputFolder.open(dir, "flow", List.of("rtl"), Set.of("verify"), false)) {
            Files.createDirectories(out.stage("rtl"));
            Files.writeString(out.stage("rtl").resolve("bcnet.v"), "v1");
            out.commit();
        }
        run(dir.resolve("rtl"), "verify", List.of("verify.json"), false, "verify.json", "{}");
        try (OutputFolder out = OutputFolder.open(dir, "flow", List.of("rtl"), Set.of("verify"), false)) {
            Files.createDirectories(out.stage("rtl"));
            Files.writeString(out.stage("rtl").resolve("bcnet.v"), "v2");
            out.commit();
        }
        assertEquals(List.of("bcnet.v"), listing(dir.resolve("rtl")));
        // but a file of the user's in there stops the rerun
        Files.writeString(dir.resolve("rtl/notes.txt"), "mine");
        assertThrows(BcflowException.class, () -> run(dir, "flow", List.of("rtl"), false, "report.json", "{}"));
        assertTrue(Files.exists(dir.resolve("rtl/notes.txt")));
    }

    @Test
    void withoutACommitTheOldOutputsStayAndANewFolderGoes() throws IOException {
        Path dir = tmp.resolve("out");
        run(dir, "train", List.of("model.ckpt"), false, "model.ckpt", "m1");
        try (OutputFolder out = OutputFolder.open(dir, "train", List.of("model.ckpt"), Set.of(), false)) {
            AtomicFiles.writeString(out.stage("model.ckpt"), "half");
        }
        assertEquals("m1", Files.readString(dir.resolve("model.ckpt")));
        assertEquals(List.of(OutputFolder.MANIFEST, "model.ckpt"), listing(dir));

        Path fresh = tmp.resolve("new/out");
        try (OutputFolder out = OutputFolder.open(fresh, "rtl", null, Set.of(), false)) {
            AtomicFiles.writeString(out.stage("bcnet.v"), "v");
        }
        assertFalse(Files.exists(tmp.resolve("new")));
    }

    /**
     * Two runs side by side that both found {@code points/} missing (explore's points): the one that
     * fails removes what it created, but not the folder the other one is working in.
     */
    @Test
    void aFailedRunLeavesAFolderAnotherRunCreatedBesideItsOwn() throws IOException {
        Path points = tmp.resolve("sweep/points");
        try (OutputFolder failing = OutputFolder.open(points.resolve("a"), "flow", null, Set.of(), false)) {
            try (OutputFolder working = OutputFolder.open(points.resolve("b"), "flow", null, Set.of(), false)) {
                AtomicFiles.writeString(working.stage("rtl"), "v");
                failing.close();  // fails before its commit
                assertFalse(Files.exists(points.resolve("a")));
                assertEquals("v", Files.readString(working.stage("rtl")), "the other run's staged output was removed");
                working.commit();
            }
        }
        assertEquals("v", Files.readString(points.resolve("b/rtl")));

        Path alone = tmp.resolve("alone/x/out");
        OutputFolder.open(alone, "flow", null, Set.of(), false).close();
        assertFalse(Files.exists(tmp.resolve("alone")), "the empty parents it created stay behind");
    }

    @Test
    void aFileAtOutIsRefused() throws IOException {
        Path file = tmp.resolve("out");
        Files.writeString(file, "mine");
        BcflowException e = assertThrows(BcflowException.class, () -> run(file, "rtl", null, false, "bcnet.v", "v"));
        assertEquals(file + " is a file, not a folder: give --out a folder", e.getMessage());
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void oneRunAtATime() throws IOException {
        Path dir = tmp.resolve("out");
        try (OutputFolder first = OutputFolder.open(dir, "flow", List.of("report.json"), Set.of(), false)) {
            BcflowException e = assertThrows(BcflowException.class,
                    () -> OutputFolder.open(dir, "flow", List.of("report.json"), Set.of(), false));
            assertTrue(e.getMessage().startsWith(dir.toAbsolutePath() + " is in use by another bcflow run (pid "
                    + ProcessHandle.current().pid() + ", bcflow flow)"), e.getMessage());
            AtomicFiles.writeString(first.stage("report.json"), "{}");
            first.commit();
        }
        run(dir, "flow", List.of("report.json"), false, "report.json", "{2}");
        assertEquals(List.of(OutputFolder.MANIFEST, "report.json"), listing(dir));
    }

    @Test
    void aCommitCutShortIsCompletedByTheNextOpen() throws IOException {
        Path dir = tmp.resolve("out");
        run(dir, "flow", List.of("a", "b"), false, "a", "a1", "b", "b1");
        OutputFolder cut = OutputFolder.open(dir, "flow", List.of("a", "b"), Set.of(), false);
        AtomicFiles.writeString(cut.stage("a"), "a2");
        AtomicFiles.writeString(cut.stage("b"), "b2");
        cut.stopBeforeRenames = true;
        cut.commit();
        cut.close();
        assertEquals("a1", Files.readString(dir.resolve("a")));
        try (OutputFolder next = OutputFolder.open(dir, "flow", List.of("a"), Set.of(), false)) {
            assertEquals("a2", Files.readString(dir.resolve("a")));
            assertEquals("b2", Files.readString(dir.resolve("b")));
        }
        assertEquals(List.of(OutputFolder.MANIFEST, "a", "b"), listing(dir));
    }
}
