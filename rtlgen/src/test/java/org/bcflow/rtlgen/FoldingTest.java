package org.bcflow.rtlgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bcflow.core.BcflowException;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.junit.jupiter.api.Test;

class FoldingTest {
    private final Network mnist = RandomNetwork.create(1, new int[] {784, 256, 256, 10}, new int[] {8, 4, 4});

    @Test
    void parsesListsAndSingleValues() {
        Folding f = Folding.forInputRate(mnist, List.of(16, 8, 10), List.of(16), 1);
        assertEquals(List.of(new LayerFolding(16, 16), new LayerFolding(8, 16), new LayerFolding(10, 16)), f.layers());
        assertEquals("16x16,8x16,10x16", f.toString());
    }

    @Test
    void refusesFoldingsThatDoNotDivide() {
        BcflowException e = assertThrows(BcflowException.class, () -> Folding.forInputRate(mnist, List.of(16, 8, 4), List.of(16), 1));
        assertTrue(e.getMessage().startsWith("dense2: PE=4 does not divide its 10 outputs"), e.getMessage());
        e = assertThrows(BcflowException.class, () -> Folding.forInputRate(mnist, List.of(16, 8), null, 1));
        assertTrue(e.getMessage().contains("one per layer (3)"), e.getMessage());
        e = assertThrows(BcflowException.class, () -> Folding.forInputRate(mnist, List.of(0), null, 1));
        assertTrue(e.getMessage().contains("values must be at least 1"), e.getMessage());
    }

    @Test
    void pixelsPerBeatAndTargetCyclesAreDistinctRequests() {
        // one pixel per beat keeps pace with the input stream; a target of one cycle is fully parallel
        assertEquals(Folding.auto(mnist, 1), Folding.forInputRate(mnist, null, null, 1));
        assertEquals(List.of(new LayerFolding(256, 784), new LayerFolding(256, 256), new LayerFolding(10, 256)),
                Folding.forTargetCycles(mnist, null, null, 1).layers());
    }

    @Test
    void automaticFoldingKeepsPaceWithTheInputAtLeastCost() {
        Folding f = Folding.auto(mnist, 1);
        long input = CycleModel.inputCycles(mnist, 1);
        for (int i = 0; i < 3; i++) {
            long cycles = CycleModel.layerCycles(mnist.layer(i), f.layer(i));
            assertTrue(cycles <= input, "layer " + i + " takes " + cycles);
        }
        assertEquals(input, CycleModel.interval(mnist, f, 1));
        // 784*256 weights in 784 - 4 cycles need at least 258 lanes; with PE | 256 and SIMD | 784 the
        // fewest are 392 (1x392, 2x196, 4x98, 8x49), and ties go to the widest SIMD
        assertEquals(new LayerFolding(1, 392), f.layer(0));
    }

    @Test
    void tiesGoToTheFewestBlockRams() {
        Network hx = RandomNetwork.create(2, new int[] {784, 128, 10}, new int[] {8, 2});
        // 32 lanes meet 3,500 cycles; 2x16 would need 8 blocks for 16-pixel image words, 4x8 only 4
        assertEquals(new LayerFolding(4, 8), Folding.forTarget(hx, 3500).layer(0));
    }

    @Test
    void foldingForATarget() {
        Folding f = Folding.forTarget(mnist, 2000);
        for (int i = 0; i < 3; i++) {
            assertTrue(CycleModel.layerCycles(mnist.layer(i), f.layer(i)) <= 2000, f.toString());
        }
        // fewer lanes than for the 784-cycle target
        long lanes = f.layers().stream().mapToLong(l -> (long) l.pe() * l.simd()).sum();
        long fast = Folding.auto(mnist, 1).layers().stream().mapToLong(l -> (long) l.pe() * l.simd()).sum();
        assertTrue(lanes < fast, lanes + " vs " + fast);
        // an impossible target gives the fully parallel layers
        assertEquals(new LayerFolding(10, 256), Folding.forTarget(mnist, 1).layer(2));
    }

    @Test
    void cycleModel() {
        Folding f = Folding.forInputRate(mnist, List.of(16, 8, 10), List.of(16), 1);
        // NF * SF + 5 pipeline stages + log2(16) adder tree levels
        assertEquals(16 * 49 + 5 + 4, CycleModel.layerCycles(mnist.layer(0), f.layer(0)));
        assertEquals(32 * 16 + 5 + 4, CycleModel.layerCycles(mnist.layer(1), f.layer(1)));
        assertEquals(16 + 5 + 4, CycleModel.layerCycles(mnist.layer(2), f.layer(2)));
        assertEquals(793, CycleModel.interval(mnist, f, 1));
        // argmax over 10 scores: 4 comparator levels + 2
        // with the image in the first layer's RAM, the layer starts the cycle after the last beat;
        // with the image in registers, it takes it in the cycle of the last beat
        assertEquals(784 + 793 + 521 + 25 + 6, CycleModel.latency(mnist, f, 1, true));
        assertEquals(784 / 4 + 793 + 521 + 25 + 6, CycleModel.latency(mnist, f, 4, true));
        assertEquals(784 / 7 - 1 + 793 + 521 + 25 + 6, CycleModel.latency(mnist, f, 7, false));
    }

    @Test
    void inputBufferChoice() {
        Folding f = Folding.forInputRate(mnist, List.of(16, 8, 10), List.of(16), 1);
        // 49 folds of 16 pixels: RAM; 7 pixels per beat do not make whole folds: registers
        assertTrue(InputBuffer.AUTO.useRam(mnist, f.layer(0), 4));
        assertFalse(InputBuffer.AUTO.useRam(mnist, f.layer(0), 7));
        assertFalse(InputBuffer.AUTO.useRam(mnist, Folding.auto(mnist, 1).layer(0), 1), "2 folds of 392 stay in registers");
        assertTrue(InputBuffer.RAM.useRam(mnist, new LayerFolding(1, 392), 1));
        assertFalse(InputBuffer.REGISTERS.useRam(mnist, f.layer(0), 1));
        BcflowException e = assertThrows(BcflowException.class, () -> InputBuffer.RAM.useRam(mnist, f.layer(0), 7));
        assertTrue(e.getMessage().contains("SIMD (16) to be a multiple of the pixels per beat (7)"), e.getMessage());
        assertEquals(InputBuffer.RAM, InputBuffer.parse("ram"));
        assertThrows(BcflowException.class, () -> InputBuffer.parse("bram"));
        assertEquals(0, CycleModel.treeLevels(1));
        assertEquals(1, CycleModel.treeLevels(2));
        assertEquals(2, CycleModel.treeLevels(3));
        assertEquals(9, CycleModel.treeLevels(392));
    }
}
