package org.bcflow.rtlgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesignFileTest {
    @TempDir
    Path dir;

    private Design generate() {
        Network net = RandomNetwork.create(2, new int[] {30, 9, 5}, new int[] {8, 2});
        return new RtlGenerator("bcnet", 1).generate(net, Folding.forInputRate(net, java.util.List.of(3, 5), java.util.List.of(10, 9), 1), dir);
    }

    @Test
    void designJsonIsSnakeCaseAndReadsBackAsWritten() throws IOException {
        Design d = generate();
        String text = Files.readString(dir.resolve(Design.FILE));
        assertTrue(text.contains("\"network_hash\" : ") && text.contains("\"weights_in_block_ram\" : "), text);
        assertEquals(d, Design.read(dir));
    }

    /** A design.json of an older bcflow (camelCase keys) is refused with what to do, not half read. */
    @Test
    void anOldCamelCaseDesignJsonSaysToGenerateAgain() throws IOException {
        generate();
        Path json = dir.resolve(Design.FILE);
        Files.writeString(json, Files.readString(json).replace("\"network_hash\"", "\"networkHash\""));
        BcflowException e = assertThrows(BcflowException.class, () -> Design.read(dir));
        assertTrue(e.getMessage().contains("networkHash") && e.getMessage().endsWith("generate the folder again with bcflow rtl"),
                e.getMessage());
    }
}
