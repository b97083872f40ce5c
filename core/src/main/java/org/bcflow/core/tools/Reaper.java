package org.bcflow.core.tools;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes sure that nothing a bcflow process started outlives it: child process groups and
 * temporary folders are registered here, and a small watcher process (bash, in a session of its
 * own) kills the groups and removes the folders as soon as this JVM is gone, however it ended,
 * {@code kill -9} included.
 *
 * <p>The watcher reads registrations from a pipe whose other end only this JVM holds. When the
 * JVM exits or is killed, the kernel closes that end; the watcher reads end-of-file and cleans up
 * whatever is still registered. Nothing needs to run inside the dying JVM, which is why this
 * works where shutdown hooks do not. A shutdown hook does the same work synchronously where the
 * JVM can still run it (a normal exit, SIGTERM, SIGINT), so that nothing is left even for the
 * moment after the process is gone and before the watcher has finished. Where bash or setsid is missing (not Linux), registration
 * does nothing and children are only killed by the JVM itself.
 */
public final class Reaper {
    /**
     * The watcher: "+g PGID" / "-g PGID" register and forget a process group, "k PGID" kills
     * one now, "+d PATH" / "-d PATH" register and forget a folder. At end of input it kills
     * every registered group and removes every registered folder.
     */
    private static final String WATCHER = String.join("\n",
            "declare -A groups folders",
            "while IFS= read -r line; do",
            "  op=${line%% *}; arg=${line#* }",
            "  case $op in",
            "    +g) groups[$arg]=1 ;;",
            "    -g) unset 'groups[$arg]' ;;",
            "    k) kill -KILL -- \"-$arg\" 2>/dev/null ;;",
            "    +d) folders[$arg]=1 ;;",
            "    -d) unset 'folders[$arg]' ;;",
            "  esac",
            "done",
            "for g in \"${!groups[@]}\"; do kill -KILL -- \"-$g\" 2>/dev/null; done",
            "for d in \"${!folders[@]}\"; do rm -rf -- \"$d\"; done",
            "");

    private static Writer watcher;
    private static boolean tried;
    private static final java.util.Set<Long> GROUPS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.Set<Long> STOPPED_BY_OWNER = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.Set<Path> FOLDERS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Reaper::cleanUpNow, "bcflow-reaper"));
    }

    private static volatile boolean shuttingDown;

    /** Whether the JVM is ending (its shutdown hooks run): what fails now fails because it was killed. */
    public static boolean shuttingDown() {
        return shuttingDown;
    }

    /** What the watcher would do, done now by this JVM: kill the registered groups, remove the folders. */
    private static void cleanUpNow() {
        shuttingDown = true;
        for (long pgid : GROUPS) {
            if (STOPPED_BY_OWNER.contains(pgid)) {
                continue;  // its owner's own shutdown hook asks it to stop first (a campaign's task)
            }
            ProcessHandle.of(pgid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
        }
        for (Path folder : FOLDERS) {
            try {
                org.bcflow.core.AtomicFiles.deleteTree(folder);
            } catch (RuntimeException e) {
                // the watcher tries again once the JVM is gone
            }
        }
    }

    private Reaper() {
    }

    /** Whether child processes can be put in groups of their own ({@code setsid} exists). */
    public static boolean groupsSupported() {
        return Files.isExecutable(Path.of("/usr/bin/setsid")) && Files.isExecutable(Path.of("/bin/bash"));
    }

    /** The command that starts {@code command} as the leader of a new process group (its pid is the group's id). */
    static java.util.List<String> inNewGroup(java.util.List<String> command) {
        if (!groupsSupported()) {
            return command;
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add("/usr/bin/setsid");
        out.addAll(command);
        return out;
    }

    /** Kill this group when the JVM ends. */
    public static void watchGroup(long pgid) {
        GROUPS.add(pgid);
        send("+g " + pgid);
    }

    /**
     * As {@link #watchGroup}, for a group whose owner stops it at shutdown itself (asking first,
     * killing after a grace): this JVM's shutdown hook leaves it alone, the watcher still kills it
     * when this JVM is killed outright.
     */
    public static void watchGroupStoppedByOwner(long pgid) {
        STOPPED_BY_OWNER.add(pgid);
        watchGroup(pgid);
    }

    public static void forgetGroup(long pgid) {
        STOPPED_BY_OWNER.remove(pgid);
        GROUPS.remove(pgid);
        send("-g " + pgid);
    }

    /** Kills a process group now (SIGKILL to every member). */
    public static void killGroup(long pgid) {
        if (!send("k " + pgid)) {
            ProcessHandle.of(pgid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
        }
    }

    /** Remove this folder (and everything in it) when the JVM ends, unless forgotten first. */
    public static void watchFolder(Path folder) {
        FOLDERS.add(folder.toAbsolutePath().normalize());
        send("+d " + folder.toAbsolutePath().normalize());
    }

    /**
     * Stop watching a folder. Lines reach the watcher in order, so once this returns a kill of the
     * JVM no longer removes the folder.
     */
    public static void forgetFolder(Path folder) {
        FOLDERS.remove(folder.toAbsolutePath().normalize());
        send("-d " + folder.toAbsolutePath().normalize());
    }

    /**
     * A new temporary folder that is removed when the JVM ends, whatever ends it. It is watched
     * before it exists, so that no moment is left in which a kill would leave it behind.
     */
    public static Path temporaryFolder(String prefix) {
        Path root = Path.of(System.getProperty("java.io.tmpdir"));
        java.util.SplittableRandom random = new java.util.SplittableRandom();
        for (int attempt = 0; attempt < 100; attempt++) {
            Path dir = root.resolve(prefix + Long.toUnsignedString(random.nextLong(), 36));
            watchFolder(dir);
            try {
                // private, as Files.createTempDirectory makes it
                Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                return dir;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                forgetFolder(dir);  // someone else's: try another name
            } catch (IOException e) {
                forgetFolder(dir);
                throw new org.bcflow.core.BcflowException("cannot create a temporary folder in " + root + ": "
                        + org.bcflow.core.FileErrors.reason(e, dir));
            }
        }
        throw new org.bcflow.core.BcflowException("cannot create a temporary folder in " + root + ": every name taken");
    }

    /** Deletes a folder made by {@link #temporaryFolder} and stops watching it. */
    public static void deleteTemporaryFolder(Path dir) {
        org.bcflow.core.AtomicFiles.deleteTree(dir);
        forgetFolder(dir);
    }

    private static synchronized boolean send(String line) {
        if (line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a line break in " + line);
        }
        if (watcher == null && !tried) {
            tried = true;
            start();
        }
        if (watcher == null) {
            return false;
        }
        try {
            watcher.write(line + "\n");
            watcher.flush();
            return true;
        } catch (IOException e) {
            watcher = null;  // the watcher is gone; the JVM kills its own children from now on
            return false;
        }
    }

    private static void start() {
        if (!groupsSupported()) {
            return;
        }
        try {
            // a session of its own: a Ctrl-C meant for bcflow must not stop the watcher before it has cleaned up
            Process p = new ProcessBuilder("/usr/bin/setsid", "/bin/bash", "-c", WATCHER)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            watcher = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            watcher = null;
        }
    }
}
