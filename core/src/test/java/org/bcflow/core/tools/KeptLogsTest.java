package org.bcflow.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bcflow.core.BcflowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeptLogsTest {
    @Test
    void theLogsAnErrorNamesOutliveTheirFolder(@TempDir Path tmp) throws Exception {
        Path staging = Files.createDirectories(tmp.resolve("staging/sub"));
        Files.writeString(staging.resolve("stage.log"), "ERROR: it broke\n");
        Files.writeString(staging.resolve("big.bin"), "not a log");
        BcflowException e = KeptLogs.keep(new BcflowException("stage failed (log: " + staging.resolve("stage.log") + ")"),
                tmp.resolve("staging"));
        Matcher m = Pattern.compile("\\(log: (\\S+)\\)").matcher(e.getMessage());
        assertTrue(m.find(), e.getMessage());
        Path kept = Path.of(m.group(1));
        assertFalse(kept.startsWith(tmp), "kept beside, not inside, the folder a failed run removes: " + kept);
        assertEquals("ERROR: it broke\n", Files.readString(kept));
        assertFalse(Files.exists(kept.getParent().resolve("big.bin")), "only logs are kept");
        Files.delete(kept);
        Files.delete(kept.getParent());
        Files.delete(kept.getParent().getParent());
    }

    @Test
    void anErrorThatNamesNoFileInTheFolderIsLeftAsItIs(@TempDir Path tmp) {
        BcflowException e = new BcflowException("unknown technology 'x'");
        assertSame(e, KeptLogs.keep(e, tmp));
    }
}
