package org.bcflow.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.bcflow.core.tools.Reaper;

/**
 * A command's output folder ({@code --out}), written as one transaction.
 *
 * <p>The rules, in the order they are checked when the folder is opened:
 * <ul>
 *   <li><b>One run at a time.</b> An OS lock on {@code DIR/.bcflow.lock} is held until
 *       {@link #close}; a second run is refused. The kernel drops the lock when a process dies,
 *       so a killed run never leaves it stuck.</li>
 *   <li><b>Only its own outputs are replaced.</b> {@code DIR/.bcflow-manifest.json} records every
 *       file bcflow wrote there, which command wrote it and its SHA-256. A command may replace or
 *       remove a path only if every file under it is recorded, unchanged, and was written by the
 *       same command (or by one whose results it makes stale: a new design makes its old
 *       verification report stale). Anything else is refused in one line, before any work, unless
 *       {@code --force}. Files it does not write are never touched.</li>
 *   <li><b>All new or all old.</b> The new outputs are written into {@code DIR/.bcflow-partial/}
 *       and only {@link #commit} moves them into place, after writing a journal; a run killed
 *       during those renames is completed by the next run that opens the folder. A run that
 *       fails or is killed before the commit leaves the old outputs untouched and its staging
 *       folder is removed, even after {@code kill -9} ({@link Reaper}).</li>
 * </ul>
 * {@code DIR/.bcflow-resume/} holds what a killed run can be resumed from (the training checkpoint);
 * it is kept until the run that uses it commits.
 */
public final class OutputFolder implements AutoCloseable {
    public static final String MANIFEST = ".bcflow-manifest.json";
    public static final String LOCK = ".bcflow.lock";
    public static final String STAGING = ".bcflow-partial";
    public static final String RESUME = ".bcflow-resume";
    private static final String JOURNAL = ".commit.json";
    private static final String OLD = ".old";
    private static final Set<String> OWN_NAMES = Set.of(MANIFEST, LOCK, STAGING, RESUME);
    private static final ObjectMapper JSON = Json.MAPPER;

    private final Path dir;
    private final String command;
    private final Set<String> supersedes;
    private final boolean force;
    private final Path createdRoot;
    private final List<String> names;
    private final FileChannel lockChannel;
    private final Path staging;
    private boolean committed;
    private boolean closed;
    /** For tests: a commit that stops after its journal, as if the process had been killed there. */
    boolean stopBeforeRenames;

    private OutputFolder(Path dir, String command, Set<String> supersedes, boolean force, Path createdRoot,
            List<String> names, FileChannel lockChannel) {
        this.names = names;
        this.dir = dir;
        this.command = command;
        this.supersedes = supersedes;
        this.force = force;
        this.createdRoot = createdRoot;
        this.lockChannel = lockChannel;
        this.staging = dir.resolve(STAGING);
    }

    /**
     * Opens {@code dir} for {@code command}: creates it if needed, takes the lock, completes an
     * interrupted commit, clears a killed run's staging, and checks that the outputs about to be
     * written may replace what is there.
     *
     * @param names      the top-level names this run writes or, if it no longer makes one of them,
     *                   removes; null for every name in the folder (the whole folder must then be
     *                   this command's own output)
     * @param supersedes other commands whose outputs in this folder a commit of this one replaces
     * @param force      replace files bcflow did not write, or that another command wrote
     */
    public static OutputFolder open(Path dir, String command, Collection<String> names, Collection<String> supersedes,
            boolean force) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new BcflowException(dir + " is a file, not a folder: give --out a folder");
        }
        Path createdRoot = null;
        if (!Files.exists(abs)) {
            createdRoot = abs;
            while (createdRoot.getParent() != null && !Files.exists(createdRoot.getParent())) {
                createdRoot = createdRoot.getParent();
            }
        }
        FileChannel channel = null;
        try {
            createDirectories(abs);
            channel = lock(abs, dir, command);
            OutputFolder f = new OutputFolder(abs, command, Set.copyOf(supersedes), force, createdRoot,
                    names == null ? null : List.copyOf(names), channel);
            try {
                f.recover();
                f.check(names);
                Reaper.watchFolder(f.staging);  // before it exists: no moment in which a kill leaves it
                Files.createDirectories(f.staging);
            } catch (RuntimeException | IOException e) {
                f.close();
                throw e;
            }
            return f;
        } catch (BcflowException e) {
            throw e;
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            removeCreated(abs, createdRoot);
            throw FileErrors.failure("cannot write", dir, e);
        }
    }

    /**
     * Files.createDirectories, again if a parent vanished meanwhile: a concurrent run that failed
     * removes the empty parent folders it created (two explore points creating {@code points/}).
     */
    private static void createDirectories(Path abs) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                Files.createDirectories(abs);
                return;
            } catch (java.nio.file.NoSuchFileException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * Takes the OS lock on {@code abs/.bcflow.lock}. The file stays: deleting it would let a run
     * that opened it just before lock a file no longer in the folder. Nothing else in this JVM
     * may open and close the lock file while it is held, because closing any descriptor of a
     * file drops the process's POSIX locks on it.
     */
    private static FileChannel lock(Path abs, Path dir, String command) throws IOException {
        Path file = abs.resolve(LOCK);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;  // held by another run in this JVM
        }
        if (lock == null) {
            channel.close();
            String holder = "";
            try {
                holder = Files.readString(file).lines().findFirst().orElse("");
            } catch (IOException ignored) {
                // the message goes without the holder
            }
            throw new BcflowException(dir + " is in use by another bcflow run" + (holder.isBlank() ? "" : " (" + holder
                    + ")") + ": wait for it to finish, or give another --out");
        }
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", bcflow " + command + "\n")
                .getBytes(StandardCharsets.UTF_8)), 0);
        return channel;
    }

    /** The folder itself. */
    public Path dir() {
        return dir;
    }

    /** Where this run writes the output {@code name}; it appears in {@link #dir} at {@link #commit}. */
    public Path stage(String name) {
        checkOpen();
        return staging.resolve(name);
    }

    /** The staging folder: the new outputs, top-level names as they will appear in {@link #dir}. */
    public Path staging() {
        checkOpen();
        return staging;
    }

    /**
     * {@code text} with every path into the staging folder changed to where that file will be
     * after the commit, for reports that name their own files.
     */
    public String published(String text) {
        return text.replace(staging.toString() + "/", dir.toString() + "/").replace(staging.toString(), dir.toString());
    }

    /** A file a killed run of this command can resume from; kept across kills, removed by a commit. */
    public Path resumeFile(String name) {
        checkOpen();
        try {
            Files.createDirectories(dir.resolve(RESUME));
        } catch (IOException e) {
            throw FileErrors.failure("cannot write", dir.resolve(RESUME), e);
        }
        return dir.resolve(RESUME).resolve(name);
    }

    /** Forgets what a killed run left to resume from (a new run starts afresh). Returns whether there was any. */
    public boolean discardResume() {
        checkOpen();
        Path r = dir.resolve(RESUME);
        boolean had = Files.isDirectory(r);
        AtomicFiles.deleteTree(r);
        return had;
    }

    /**
     * Puts the staged outputs in place of the old ones, and removes this command's (and the
     * superseded commands') outputs that this run did not write again. Either all of it happens, or
     * (if the process dies in the middle) the next open completes it.
     */
    public void commit() {
        checkOpen();
        if (committed) {
            throw new IllegalStateException("committed twice");
        }
        try {
            Manifest manifest = Manifest.read(dir);
            List<String> staged = new ArrayList<>();
            try (Stream<Path> s = Files.list(staging)) {
                s.map(p -> p.getFileName().toString()).sorted().forEach(staged::add);
            }
            check(staged);
            Set<String> remove = new TreeSet<>();
            for (String name : names != null ? names : topLevelNames()) {
                if (!staged.contains(name) && Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)
                        && audit(name, manifest).values().stream().allMatch(o -> o != null && mayReplace(o))) {
                    remove.add(name);
                }
            }
            Map<String, Manifest.Entry> next = new TreeMap<>(manifest.entries);
            remove.forEach(next::remove);
            next.keySet().removeIf(k -> !staged.contains(k) && !Files.exists(dir.resolve(k), LinkOption.NOFOLLOW_LINKS));
            for (String name : staged) {
                next.put(name, new Manifest.Entry(command, hashes(staging.resolve(name))));
            }
            ObjectNode journal = JSON.createObjectNode();
            journal.putPOJO("replace", staged);
            journal.putPOJO("remove", remove);
            journal.set("manifest", new Manifest(next).toJson());
            // from here on the staged files are the new outputs: a kill must not remove them
            Reaper.forgetFolder(staging);
            AtomicFiles.writeString(staging.resolve(JOURNAL), JSON.writeValueAsString(journal));
            if (!stopBeforeRenames) {
                rollForward();
            }
            committed = true;
        } catch (IOException e) {
            throw FileErrors.failure("cannot write", dir, e);
        }
    }

    /** Releases the lock; without a commit, removes the staged outputs (and the folder, if this run created it). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!committed && !Files.exists(staging.resolve(JOURNAL))) {
            AtomicFiles.deleteTree(staging);
            Reaper.forgetFolder(staging);
        }
        boolean removeAll = !committed && createdRoot != null && onlyOwnNames();
        try {
            lockChannel.truncate(0);
            lockChannel.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
        if (removeAll) {
            removeCreated(dir, createdRoot);
        }
    }

    private boolean onlyOwnNames() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> p.getFileName().toString().equals(LOCK) || p.getFileName().toString().equals(STAGING));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Removes the folder this run created, and the parents it created up to {@code createdRoot},
     * each only while it is empty: another run may have created its own folder beside this one's
     * in a parent both found missing (explore's points run side by side), and that must stay.
     */
    private static void removeCreated(Path dir, Path createdRoot) {
        if (createdRoot == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(LOCK));
            for (Path p = dir; p != null && p.startsWith(createdRoot); p = p.getParent()) {
                Files.delete(p);  // refused when not empty: then it and its parents stay
            }
        } catch (IOException ignored) {
            // not empty, or already gone: leaving an empty folder behind is the lesser evil here
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("output folder " + dir + " is closed");
        }
    }

    private boolean mayReplace(String owner) {
        return owner.equals(command) || supersedes.contains(owner);
    }

    /** Refuses (unless forced) to write {@code names}, or anything at all when names is null, over what is not ours. */
    private void check(Collection<String> names) throws IOException {
        if (force) {
            return;
        }
        Manifest manifest = Manifest.read(dir);
        Collection<String> targets = names != null ? names : topLevelNames();
        for (String name : new TreeSet<>(targets)) {
            if (!Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            for (var file : audit(name, manifest).entrySet()) {
                String owner = file.getValue();
                if (owner == null || !mayReplace(owner)) {
                    Path f = file.getKey();
                    String what = f.equals(dir.resolve(name)) ? f.toString() : dir.resolve(name) + " holds " + f + ", which";
                    throw new BcflowException(what + (owner == null ? " was not written by bcflow"
                            + (manifest.entries.containsKey(name) ? " or was changed since" : "") : " was written by bcflow " + owner)
                            + ": bcflow " + command + " replaces only its own outputs; give another --out, or --force to replace it");
                }
            }
        }
    }

    private List<String> topLevelNames() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!OWN_NAMES.contains(p.getFileName().toString())) {
                    out.add(p.getFileName().toString());
                }
            }
        }
        return out;
    }

    /**
     * Every file under {@code dir/name} with the command that wrote it, or null where no manifest
     * vouches for the file: not recorded with its current hash, neither in this folder's manifest
     * nor in one of a sub-folder (such as the report that {@code verify} wrote into a design
     * folder that {@code flow} made). Ordered by path.
     */
    private Map<Path, String> audit(String name, Manifest manifest) throws IOException {
        Path root = dir.resolve(name);
        Map<Path, String> out = new TreeMap<>();
        Manifest.Entry entry = manifest.entries.get(name);
        Map<Path, Manifest> nested = new HashMap<>();
        if (Files.isSymbolicLink(root)) {
            out.put(root, null);
            return out;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String fileName = f.getFileName().toString();
                if (!f.equals(root) && (fileName.equals(MANIFEST) || fileName.equals(LOCK))) {
                    continue;
                }
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(f, null);
                    continue;
                }
                String hash = FileHash.sha256(f);
                String rel = f.equals(root) ? "" : root.relativize(f).toString();
                if (entry != null && hash.equals(entry.files.get(rel))) {
                    out.put(f, entry.command);
                } else {
                    out.put(f, ownerBelow(root, f, hash, nested));
                }
            }
        }
        return out;
    }

    private static String ownerBelow(Path root, Path file, String hash, Map<Path, Manifest> cache) throws IOException {
        for (Path folder = file.getParent(); folder != null && folder.startsWith(root); folder = folder.getParent()) {
            Manifest m = cache.get(folder);
            if (m == null) {
                m = Manifest.read(folder);
                cache.put(folder, m);
            }
            Path rel = folder.relativize(file);
            Manifest.Entry e = m.entries.get(rel.getName(0).toString());
            String inside = rel.getNameCount() == 1 ? "" : rel.subpath(1, rel.getNameCount()).toString();
            if (e != null && hash.equals(e.files.get(inside))) {
                return e.command;
            }
        }
        return null;
    }

    /** Completes a commit whose journal exists: renames, then the manifest, then the staging folder goes. */
    private void recover() throws IOException {
        if (Files.exists(staging.resolve(JOURNAL))) {
            rollForward();
        } else if (Files.exists(staging)) {
            AtomicFiles.deleteTree(staging);  // a run killed before its commit
        }
    }

    private void rollForward() throws IOException {
        JsonNode journal = JSON.readTree(staging.resolve(JOURNAL).toFile());
        Path old = staging.resolve(OLD);
        Files.createDirectories(old);
        for (JsonNode n : journal.get("remove")) {
            moveAside(n.asText(), old);
        }
        for (JsonNode n : journal.get("replace")) {
            Path from = staging.resolve(n.asText());
            if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                moveAside(n.asText(), old);
                Files.move(from, dir.resolve(n.asText()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        AtomicFiles.writeString(dir.resolve(MANIFEST), JSON.writeValueAsString(journal.get("manifest")) + "\n");
        AtomicFiles.deleteTree(dir.resolve(RESUME));
        AtomicFiles.deleteTree(staging);
    }

    private void moveAside(String name, Path old) throws IOException {
        Path p = dir.resolve(name);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.move(p, old.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                AtomicFiles.deleteTree(old.resolve(name));
                Files.move(p, old.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /** SHA-256 of every regular file under {@code root} (relative path, "" for root itself). */
    private static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(f.equals(root) ? "" : root.relativize(f).toString(), FileHash.sha256(f));
                }
            }
        }
        return out;
    }

    /** {@code .bcflow-manifest.json}: for each top-level output, the command that wrote it and its files' hashes. */
    private record Manifest(Map<String, Entry> entries) {
        record Entry(String command, Map<String, String> files) {
        }

        static Manifest read(Path folder) throws IOException {
            Path file = folder.resolve(MANIFEST);
            Map<String, Entry> entries = new TreeMap<>();
            if (!Files.isRegularFile(file)) {
                return new Manifest(entries);
            }
            JsonNode root;
            try {
                root = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new BcflowException(file + ": damaged (" + e.getMessage().lines().findFirst().orElse("") + ");"
                        + " remove it to let bcflow treat the folder's files as not its own");
            }
            for (var it = root.path("entries").fields(); it.hasNext(); ) {
                var e = it.next();
                Map<String, String> files = new TreeMap<>();
                e.getValue().path("files").fields().forEachRemaining(f -> files.put(f.getKey(), f.getValue().asText()));
                entries.put(e.getKey(), new Entry(e.getValue().path("command").asText(), files));
            }
            return new Manifest(entries);
        }

        JsonNode toJson() {
            ObjectNode root = JSON.createObjectNode();
            root.put("format", "bcflow-outputs");
            root.put("version", 1);
            ObjectNode es = root.putObject("entries");
            entries.forEach((name, e) -> {
                ObjectNode o = es.putObject(name);
                o.put("command", e.command);
                ObjectNode files = o.putObject("files");
                e.files.forEach(files::put);
            });
            return root;
        }
    }
}
