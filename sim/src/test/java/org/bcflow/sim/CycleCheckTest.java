package org.bcflow.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bcflow.core.Network;
import org.bcflow.core.RandomNetwork;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.RtlGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cycle checks on testbench output written by hand: a schedule that follows the cycle model
 * passes, and each kind of disagreement (a late output, a stage faster than the model under
 * backpressure, two results closer than a stage can make them) fails with its figures.
 */
class CycleCheckTest {
    @TempDir
    Path tmp;

    // 16 -> 6 -> 4, PE 2,2 SIMD 4,3, image in registers: dense0 3*4 + 5 + 2 = 19, dense1 2*2 + 5 + 2 = 11, argmax 4
    private final Network net = RandomNetwork.create(11, new int[] {16, 6, 4}, new int[] {8, 3});
    private final Design design = new RtlGenerator("bcnet", 1).withInputBuffer(org.bcflow.rtlgen.InputBuffer.REGISTERS)
            .plan(net, Folding.forInputRate(net, List.of(2, 2), List.of(4, 3), 1));
    private static final int IMAGES = 8;

    /** When each image reaches each point: [image][0] its first beat, [image][1..2] the layers' taps, [image][3] the output. */
    private long[][] schedule() {
        assertEquals(19, design.intervalCycles());
        assertEquals(15 + 19 + 11 + 4, design.latencyCycles());
        long[][] t = new long[IMAGES][4];
        for (int k = 0; k < IMAGES; k++) {
            // dense0 is the slowest stage: each image starts when the previous one leaves it
            t[k][0] = k == 0 ? 0 : t[k - 1][1] - 15;
            t[k][1] = k == 0 ? 15 + 19 : t[k - 1][1] + 19;
            t[k][2] = t[k][1] + 11;
            t[k][3] = t[k][2] + 4;
        }
        return t;
    }

    private static SimOutput output(long[][] t) {
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < t.length; k++) {
            lines.add("in " + k + " " + t[k][0]);
            lines.add("tap 0 " + k + " " + t[k][1] + " 0");
            lines.add("tap 1 " + k + " " + t[k][2] + " 0");
            lines.add("out " + k + " " + t[k][3] + " 0 0 0 0 0");
        }
        lines.add("done " + (t[t.length - 1][3] + 1));
        return new SimOutput(t.length, 2, 4, lines);
    }

    @Test
    void aRunOnTheModelsScheduleAgrees() {
        long[][] t = schedule();
        // dense0 takes 19 cycles, more than the 16 of the input: the interval is 19
        CycleCheck c = new CycleCheck(design, net);
        assertEquals(19, c.interval());
        long[] intervals = c.clean(List.of(output(t)), new int[] {0});
        assertEquals(IMAGES - 1, intervals.length);
        c.stalled(List.of(output(t)), new int[] {0}, 0, 0, 0);
        assertEquals(List.of(), c.problems());
    }

    @Test
    void aLateOutputIsAnIntervalAndLatencyProblem() {
        long[][] t = schedule();
        t[0][3]++;
        t[6][3]++;
        CycleCheck c = new CycleCheck(design, net);
        c.clean(List.of(output(t)), new int[] {100});
        assertEquals(List.of("latency predicted 49, measured 50 (image 100)",
                "argmax took 5 cycles for image 100 in an empty pipeline, predicted 4",
                "interval predicted 19, measured 18 (between the outputs of images 100 and 101) (and 2 more)"),
                c.problems());
    }

    @Test
    void underBackpressureAStageFasterThanTheModelIsAProblem() {
        long[][] t = schedule();
        // stalls delay image 3 before dense1, then dense1 hands it on in 10 cycles: one fewer than it can
        for (int k = 3; k < IMAGES; k++) {
            t[k][1] += 40;
            t[k][2] = t[k][1] + (k == 3 ? 10 : 11);
            t[k][3] = t[k][2] + 4;
        }
        CycleCheck c = new CycleCheck(design, net);
        c.stalled(List.of(output(t)), new int[] {0}, 0, 0, 0);
        assertEquals(List.of("under backpressure, dense1 took 10 cycles for image 3, the cycle model at least 11"), c.problems());
    }

    @Test
    void underBackpressureTwoResultsCloserThanAStageCanMakeThemAreAProblem() {
        long[][] t = schedule();
        // dense0 hands image 4 on 18 cycles after image 3: it needs 19 for each
        for (int k = 4; k < IMAGES; k++) {
            for (int p = 0; p < 4; p++) {
                t[k][p]--;
            }
        }
        CycleCheck c = new CycleCheck(design, net);
        c.stalled(List.of(output(t)), new int[] {0}, 0, 0, 0);
        assertEquals(List.of("under backpressure, dense0 handed on images 3 and 4 18 cycles apart, the cycle model at least 19"),
                c.problems());
    }

    @Test
    void aDesignJsonThatDisagreesWithTheCycleModelIsAProblem() throws IOException {
        Path rtl = tmp.resolve("rtl");
        new RtlGenerator("bcnet", 1).generate(net, Folding.forInputRate(net, List.of(2, 2), List.of(4, 3), 1), rtl);
        Path json = rtl.resolve(Design.FILE);
        Design d = Design.read(rtl);
        Files.writeString(json, Files.readString(json).replace("\"latency_cycles\" : " + d.latencyCycles(),
                "\"latency_cycles\" : " + (d.latencyCycles() + 1)));
        List<String> problems = new CycleCheck(Design.read(rtl), net).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("design.json predicts interval "), problems.get(0));
    }
}
