package org.bcflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading squeue's and sacct's lines, as the local cluster and real ones print them. */
class ArrayStatesTest {
    @Test
    void readsSqueueLinesWithPendingRangesAndWaitStatuses() {
        String out = String.join("\n",
                "13|1|FAILED|768|NonZeroExitCode",
                "13|3-4%2|PENDING|0|JobArrayTaskLimit",
                "13|2|RUNNING|0|None",
                "13|0|CANCELLED|15|None",
                "99|5|COMPLETED|0|None",  // another job's line: ignored
                "");
        Map<Integer, ArrayStates.State> s = ArrayStates.parseSqueue(out, "13");
        assertEquals(List.of(0, 1, 2, 3, 4), s.keySet().stream().sorted().toList());
        assertEquals("FAILED, exit 3", s.get(1).describe());
        assertEquals("CANCELLED, signal 15", s.get(0).describe());
        assertEquals("PENDING", s.get(4).describe());
        assertTrue(s.get(1).terminal());
        assertFalse(s.get(2).terminal());
        assertFalse(s.get(3).terminal());
    }

    @Test
    void readsSacctLines() {
        String out = String.join("\n",
                "12_3|FAILED|3:0",
                "12_1|CANCELLED by 0|0:15",
                "12_0|TIMEOUT|0:0",
                "12_[4-6%2]|PENDING|0:0",
                "");
        Map<Integer, ArrayStates.State> s = ArrayStates.parseSacct(out, "12");
        assertEquals("FAILED, exit 3", s.get(3).describe());
        assertEquals("CANCELLED, signal 15", s.get(1).describe());
        assertEquals("TIMEOUT, exit 0", s.get(0).describe());
        assertEquals("PENDING", s.get(5).describe());
        assertEquals(6, s.size());
    }

    @Test
    void readsIndexLists() {
        assertEquals(List.of(1, 4, 5, 6), ArrayStates.indices("[1,4-6%3]"));
        assertEquals(List.of(0, 2, 4), ArrayStates.indices("0-4:2"));
        assertEquals(List.of(), ArrayStates.indices("N/A"));
    }
}
