package org.bcflow.core.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.bcflow.core.BcflowException;

/**
 * The logs a failure names, kept beyond the folder they were written in: a failed run removes its
 * staging and temporary folders (nothing half-written), but the log its one-line error points to
 * must still be there to read.
 */
public final class KeptLogs {
    private KeptLogs() {
    }

    /**
     * If {@code e} names a file under {@code folder}, copies the folder's logs ({@code *.log},
     * {@code *.ys}) to a new folder in the temporary directory and returns the error naming them there;
     * else returns {@code e}.
     */
    public static BcflowException keep(BcflowException e, Path folder) {
        String where = folder.toString();
        if (e.getMessage() == null || !e.getMessage().contains(where) || !Files.isDirectory(folder)) {
            return e;
        }
        if (Reaper.shuttingDown()) {
            return e;  // a killed run leaves no folder behind; its failure is the kill's
        }
        try {
            // watched until it is complete: a kill meanwhile removes it with the rest
            Path kept = Reaper.temporaryFolder("bcflow-logs-");
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (Files.isRegularFile(f) && (name.endsWith(".log") || name.endsWith(".ys"))) {
                        Path to = kept.resolve(folder.relativize(f).toString());
                        Files.createDirectories(to.getParent());
                        Files.copy(f, to);
                    }
                }
            }
            if (Reaper.shuttingDown()) {
                return e;
            }
            Reaper.forgetFolder(kept);
            return new BcflowException(e.getMessage().replace(where, kept.toString()));
        } catch (IOException io) {
            return e;
        }
    }
}
