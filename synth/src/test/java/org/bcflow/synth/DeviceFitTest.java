package org.bcflow.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.rtlgen.CycleModel;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The automatic folding for a device: the fastest candidate whose estimate fits, and clear refusals. */
class DeviceFitTest {
    private final Network net = RandomNetwork.create(3, new int[] {256, 48, 10}, new int[] {8, 3});
    private final RtlGenerator generator = new RtlGenerator("bcnet", 1);

    @Test
    void fastestFoldingWithinTheLimitsAndNoFasterOne() {
        Device device = new Device("small", "none", 3000, 6);
        DeviceFit.Result r = DeviceFit.fastest(net, generator, 1, device, 0.10);
        assertTrue(r.estimate().logicCells() <= 2700 && r.estimate().blockRams() <= 6, r.toString());
        assertEquals(CycleModel.interval(net, r.folding(), 1), r.intervalCycles());
        int faster = 0;
        for (long target : DeviceFit.candidateTargets(net, 1)) {
            Folding f = Folding.forTarget(net, target);
            if (CycleModel.interval(net, f, 1) < r.intervalCycles()) {
                ResourceModel.Estimate e = estimate(f);
                assertTrue(e.logicCells() > 2700 || e.blockRams() > 6, "a faster folding fits: " + f + " " + e);
                faster++;
            }
        }
        assertTrue(faster > 0, "the limits should rule out the fastest foldings");
        DeviceFit.Result next = r.fasterRejected();
        assertTrue(next.intervalCycles() < r.intervalCycles(), "the rejected one is faster");
        assertTrue(next.estimate().logicCells() > 2700 || next.estimate().blockRams() > 6, "and does not fit: " + next);
        // a bigger device gets a faster design; no margin is looser than 10%
        assertTrue(DeviceFit.fastest(net, generator, 1, new Device("big", "none", 30000, 60), 0.10).intervalCycles()
                < r.intervalCycles());
        assertTrue(DeviceFit.fastest(net, generator, 1, device, 0).intervalCycles() <= r.intervalCycles());
    }

    @Test
    void theEstimateFromMemoryEqualsTheOneFromTheWrittenFolder(@TempDir Path tmp) {
        Folding f = Folding.forTarget(net, 200);
        Design d = generator.generate(net, f, tmp.resolve("rtl"));
        assertEquals(ResourceModel.estimate(d, tmp.resolve("rtl")), ResourceModel.estimate(d, RtlGenerator.roms(net, d)));
    }

    @Test
    void nothingFitsOrABadMargin() {
        // its own type: explore records it as a finding (no-fit), not as a failure to retry
        BcflowException e = assertThrows(DeviceFit.NothingFits.class,
                () -> DeviceFit.fastest(net, generator, 1, new Device("tiny", "none", 500, 1), 0.10));
        assertTrue(e.getMessage().startsWith("no automatic folding of 256-48-10"), e.getMessage());
        assertTrue(e.getMessage().contains("the fewest block RAMs"), e.getMessage());
        assertThrows(BcflowException.class, () -> DeviceFit.fastest(net, generator, 1, Device.of("hx8k"), 1.0));
        assertThrows(BcflowException.class, () -> DeviceFit.fastest(net, generator, 1, Device.of("hx8k"), -0.1));
    }

    private ResourceModel.Estimate estimate(Folding f) {
        Design d = generator.plan(net, f);
        return ResourceModel.estimate(d, RtlGenerator.roms(net, d)).get(0);
    }
}
