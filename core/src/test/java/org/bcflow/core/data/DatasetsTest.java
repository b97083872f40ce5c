package org.bcflow.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bcflow.core.BcflowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void namedColourSetsFromAFolder() {
        LabeledImages train = ColourImages.random(5, 1);
        LabeledImages test = ColourImages.random(2, 2);
        Cifar10Writer.writeFolder(train, test, dir.resolve("c"));
        SvhnWriter.writeFolder(train, test, dir.resolve("s"));
        for (String[] set : new String[][] {{"cifar10", "c"}, {"SVHN", "s"}}) {
            Dataset d = Datasets.load(set[0], dir.resolve(set[1]));
            assertEquals(set[0].toLowerCase(java.util.Locale.ROOT), d.name());
            assertArrayEquals(train.pixels(), d.train().pixels());
            assertArrayEquals(test.labels(), d.test().labels());
            assertEquals(3, d.test().channels());
        }
    }

    @Test
    void theUsualFolders() {
        Path root = Datasets.cacheRoot();
        assertEquals(root.resolve("cifar10"), Datasets.folderOf("cifar10"));
        assertEquals(root.resolve("svhn"), Datasets.folderOf("SVHN"));
        assertEquals(root.resolve("mnist"), Datasets.folderOf("mnist"));
        assertEquals(Path.of("/some/folder"), Datasets.folderOf("/some/folder"));
        assertTrue(Datasets.isName("Fashion-MNIST"));
        assertFalse(Datasets.isName("cifar100"));
    }

    @Test
    void aMissingSetSaysWhereItLookedAndWhatItWants() throws IOException {
        Path none = dir.resolve("none");
        BcflowException e = assertThrows(BcflowException.class, () -> Datasets.load("cifar10", none));
        assertEquals("CIFAR-10 not found: looked in " + none + ", which does not exist; it needs data_batch_1.bin .. "
                + "data_batch_5.bin and test_batch.bin (the binary version, cifar-10-binary.tar.gz unpacked)", e.getMessage());
        Files.createDirectories(none);
        Files.write(none.resolve("train_32x32.mat"), new byte[0]);
        e = assertThrows(BcflowException.class, () -> Datasets.load("svhn", none));
        assertEquals("SVHN not found: looked in " + none + ", which lacks test_32x32.mat; it needs train_32x32.mat and "
                + "test_32x32.mat (format 2, the cropped digits)", e.getMessage());
        if (!Files.exists(Datasets.folderOf("cifar10"))) {
            e = assertThrows(BcflowException.class, () -> Datasets.load("cifar10"));
            assertTrue(e.getMessage().startsWith("CIFAR-10 not found: looked in " + Datasets.folderOf("cifar10")
                    + " ($BCFLOW_DATA/cifar10"), e.getMessage());
            assertTrue(e.getMessage().endsWith("give their folder after the name (--data cifar10 DIR)"), e.getMessage());
        }
    }

    @Test
    void unknownNameWithAFolder() {
        BcflowException e = assertThrows(BcflowException.class, () -> Datasets.load("cifar100", dir));
        assertEquals("unknown data set 'cifar100' (known: mnist, fashion-mnist, cifar10, svhn)", e.getMessage());
    }

    @Test
    void mnistFromAnotherFolderNamesTheFilesItNeeds() {
        BcflowException e = assertThrows(BcflowException.class, () -> Datasets.load("mnist", dir));
        assertEquals("MNIST not found (" + dir.resolve("train-images-idx3-ubyte") + "): the folder needs "
                + "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte",
                e.getMessage());
    }
}
