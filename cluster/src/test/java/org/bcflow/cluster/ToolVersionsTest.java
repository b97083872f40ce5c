package org.bcflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.bcflow.core.BcflowException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ToolVersionsTest {
    @Test
    void firstLinesInTheOrderAsked() {
        Map<String, String> v = ToolVersions.probe(List.of("bash", "ls"));
        assertEquals(List.of("bash", "ls"), List.copyOf(v.keySet()));
        assertTrue(v.get("bash").startsWith("GNU bash"), v.get("bash"));
        assertTrue(v.get("ls").contains("coreutils"), v.get("ls"));
    }

    @Test
    void theHardwareToolsWhereInstalled() {
        List<String> tools = List.of("verilator", "yosys", "nextpnr-ice40");
        Assumptions.assumeTrue(tools.stream().allMatch(t -> LocalSlurm.onPath(t) != null), "hardware tools not installed");
        Map<String, String> v = ToolVersions.probe(tools);
        assertTrue(v.get("verilator").startsWith("Verilator "), v.get("verilator"));
        assertTrue(v.get("yosys").startsWith("Yosys "), v.get("yosys"));
        assertTrue(v.get("nextpnr-ice40").contains("nextpnr"), v.get("nextpnr-ice40"));
    }

    @Test
    void aMissingToolNamesTheNode() {
        BcflowException e = assertThrows(BcflowException.class,
                () -> ToolVersions.probe(List.of("bash", "no-such-tool-here")));
        assertEquals("this node lacks no-such-tool-here (" + ToolVersions.hostname() + ")", e.getMessage());
    }
}
