package org.bcflow.qonnx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bcflow.core.data.Datasets;

/**
 * Data the tests read from outside the repository: the published QONNX models in the shared
 * folder next to it, and MNIST in bcflow's cache. A test is skipped when they are absent on a
 * developer's machine, but fails on CI (the variable CI set), where skipping would hide a gap.
 */
public final class SharedFiles {
    private SharedFiles() {
    }

    /** The folder of the published TFC models, ../shared/models/qonnx-tfc from the project root. */
    public static Path tfcModels() {
        Path dir = projectRoot().resolve("../shared/models/qonnx-tfc").normalize();
        require(Files.isDirectory(dir), "published QONNX models not found at " + dir);
        return dir;
    }

    /** The MNIST folder (bcflow's cache). */
    public static Path mnist() {
        Path dir = Datasets.folderOf("mnist");
        require(Files.isDirectory(dir), "MNIST not found at " + dir + " (run ./bcflow setup)");
        return dir;
    }

    private static void require(boolean present, String message) {
        if (System.getenv("CI") != null) {
            assertTrue(present, message + " (CI is set, so this fails instead of skipping)");
        } else {
            assumeTrue(present, message + ": skipped");
        }
    }

    /** The folder holding the root pom.xml (artifact bcflow-parent), found upwards from the working directory. */
    public static Path projectRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<artifactId>bcflow-parent</artifactId>")
                        && Files.readString(pom).contains("<modules>")) {
                    return p;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no bcflow project root above " + Path.of("").toAbsolutePath());
    }
}
