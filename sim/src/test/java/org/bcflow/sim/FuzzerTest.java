package org.bcflow.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.data.Datasets;
import org.bcflow.core.data.LabeledImages;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FuzzerTest {
    @TempDir
    Path tmp;

    private final Verifier verifier = new Verifier(Verifier.defaultCache().resolve("tests"), Duration.ofMinutes(5));

    @BeforeEach
    void needsVerilator() {
        VerilatorRequired.check();
    }

    @Test
    void smallCampaignFindsNoMismatch() {
        List<String> log = new ArrayList<>();
        Fuzzer.Result r = new Fuzzer(verifier, new RtlGenerator("bcnet", 1), tmp, 0, log::add).run(5, 2026);
        assertEquals(5, r.cases(), String.join("\n", log));
        assertEquals(0, r.failures(), String.join("\n", log));
    }

    @Test
    void aBrokenGeneratorIsCaughtShrunkAndReplayable() {
        List<String> log = new ArrayList<>();
        Fuzzer.Result r = new Fuzzer(verifier, new RtlGenerator("bcnet", 1), tmp, 2, log::add)
                .withPlantedFault(PlantedFaults.SHIFT_ONE_TOO_LARGE).run(5, 7);
        assertEquals(1, r.failures(), String.join("\n", log));
        assertNotNull(r.reproducer());
        // the saved folder replays: same data, same RTL, the same failure
        LabeledImages data = Datasets.load(r.reproducer().resolve("data").toString()).test();
        VerifyReport replay = verifier.verify(r.reproducer().resolve("rtl"), data, Verifier.Options.of(data.count()));
        assertTrue(replay.mismatches() > 0, String.join("\n", log));
    }

    @Test
    void casesCoverTheEdges() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        boolean one = false;
        boolean prime = false;
        boolean ram = false;
        boolean registers = false;
        boolean thresholds = false;
        boolean mulAddInsteadOfThresholds = false;
        boolean staged = false;
        boolean stagedConv = false;
        for (int i = 0; i < 200; i++) {
            Fuzzer.Case c = Fuzzer.randomCase(i, rnd);
            ram |= c.ramInput();
            registers |= !c.ramInput();
            boolean narrowHidden = false;
            for (int l = 1; l < c.inputBits().length; l++) {
                narrowHidden |= c.inputBits()[l] <= org.bcflow.core.Thresholds.MAX_BITS;
            }
            thresholds |= narrowHidden && c.thresholds();
            mulAddInsteadOfThresholds |= narrowHidden && !c.thresholds();
            for (int s : c.sizes()) {
                one |= s == 1;
                prime |= s == 97 || s == 37 || s == 31;
            }
            LabeledImages v = Fuzzer.vectors(c);
            staged |= c.importedStages() && Fuzzer.network(c).quantizer() != null;
            stagedConv |= c.importedStages() && c.conv();
            int max = (1 << (c.importedStages() ? 8 : c.inputBits()[0])) - 1;  // raw 8-bit values before an input quantizer
            assertEquals(0, v.image(0)[0]);
            assertEquals(max, v.image(1)[0]);
            new org.bcflow.rtlgen.Folding(c.folding()).checkedAgainst(Fuzzer.network(c));
        }
        assertTrue(one && prime && ram && registers && thresholds && mulAddInsteadOfThresholds && staged && stagedConv);
    }
}
