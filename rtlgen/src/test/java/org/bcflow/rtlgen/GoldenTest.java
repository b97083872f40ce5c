package org.bcflow.rtlgen;

import java.util.List;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated text of a small design, compared with the files in src/test/resources/golden.
 * After a deliberate change of the generator, regenerate them with
 * {@code mvn test -pl rtlgen -Dtest=GoldenTest -Dbcflow.golden.update=true} and review the diff.
 */
class GoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @TempDir
    Path tmp;

    @Test
    void smallDesignMatchesItsGoldenText() throws IOException {
        Network net = RandomNetwork.create(99, new int[] {12, 6, 3}, new int[] {8, 2});
        new RtlGenerator("tiny", 2).generate(net, Folding.forInputRate(net, List.of(3, 3), List.of(4, 2), 2), tmp);
        for (String file : new String[] {"tiny.v", "dense0_weights.mem", "dense0_thresholds.mem", "dense1_add.mif",
                "dense1_weights.coe"}) {
            String actual = Files.readString(tmp.resolve(file));
            if (Boolean.getBoolean("bcflow.golden.update")) {
                Files.createDirectories(GOLDEN);
                Files.writeString(GOLDEN.resolve(file), actual);
            }
            assertEquals(Files.readString(GOLDEN.resolve(file)), actual, file + " differs from its golden text");
        }
    }
}
