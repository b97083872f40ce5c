package org.bcflow.qonnx;

import static org.bcflow.qonnx.OpRunner.qonnx;
import static org.bcflow.qonnx.OpRunner.run;
import static org.bcflow.qonnx.OpRunner.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bcflow.core.BcflowException;
import org.junit.jupiter.api.Test;

class QuantOpsTest {
    private static final Tensor ONE = Tensor.scalar(1);
    private static final Tensor ZERO = Tensor.scalar(0);

    private static Node quant(boolean signed, boolean narrow, String mode) {
        Node n = qonnx("Quant").with("signed", Attribute.ofInt(signed ? 1 : 0)).with("narrow", Attribute.ofInt(narrow ? 1 : 0));
        return mode == null ? n : n.with("rounding_mode", Attribute.ofString(mode));
    }

    @Test
    void quantRoundsHalvesToEven() {
        Tensor x = Tensor.vector(0.5, 1.5, 2.5, -0.5, -1.5, 0.49);
        Tensor y = run(quant(true, false, null), x, ONE, ZERO, Tensor.scalar(8));
        assertArrayEquals(new double[] {0, 2, 2, 0, -2, 0}, y.data(), 0.0);
    }

    @Test
    void quantDividesByScaleAndMultipliesBack() {
        // x / 0.5 = 0.5, 1.5, 2.5 -> 0, 2, 2 -> times 0.5
        Tensor y = run(quant(true, false, "ROUND"), Tensor.vector(0.25, 0.75, 1.25), Tensor.scalar(0.5), ZERO,
                Tensor.scalar(4));
        assertArrayEquals(new double[] {0, 1, 1}, y.data(), 0.0);
    }

    @Test
    void quantClampsToTheBitWidthsRange() {
        Tensor x = Tensor.vector(-5, -1.2, 0.4, 0.6, 5);
        // signed narrow 2 bits: {-1, 0, 1}; signed 2 bits: {-2 .. 1}
        assertArrayEquals(new double[] {-1, -1, 0, 1, 1}, run(quant(true, true, null), x, ONE, ZERO, Tensor.scalar(2)).data(), 0.0);
        assertArrayEquals(new double[] {-2, -1, 0, 1, 1}, run(quant(true, false, null), x, ONE, ZERO, Tensor.scalar(2)).data(), 0.0);
        // unsigned 2 bits: {0 .. 3}; unsigned narrow: {0 .. 2}
        assertArrayEquals(new double[] {0, 0, 0, 1, 3}, run(quant(false, false, null), x, ONE, ZERO, Tensor.scalar(2)).data(), 0.0);
        assertArrayEquals(new double[] {0, 0, 0, 1, 2}, run(quant(false, true, null), x, ONE, ZERO, Tensor.scalar(2)).data(), 0.0);
    }

    @Test
    void quantAppliesTheZeroPointInsideTheClamp() {
        // unsigned 4 bits, zero point 1: q = x + 1 in [0, 15], y = q - 1, so y is in [-1, 14]
        Tensor y = run(quant(false, false, null), Tensor.vector(-3, 2, 20), ONE, ONE, Tensor.scalar(4));
        assertArrayEquals(new double[] {-1, 2, 14}, y.data(), 0.0);
    }

    @Test
    void quantBroadcastsAPerChannelScale() {
        Tensor x = t(new int[] {2, 2}, 1, 1, 3, 3);
        Tensor y = run(quant(true, false, null), x, Tensor.vector(1, 2), ZERO, Tensor.scalar(8));
        // channel 1: x / 2 = 0.5 -> 0 and 1.5 -> 2 (half to even), times 2
        assertArrayEquals(new double[] {1, 0, 3, 4}, y.data(), 0.0);
        assertArrayEquals(new int[] {2, 2}, y.shape());
    }

    @Test
    void quantRoundingModes() {
        Tensor x = Tensor.vector(2.5, -2.5, 2.4, -2.6);
        String[] modes = {"CEIL", "FLOOR", "ROUND_TO_ZERO", "HALF_UP", "HALF_DOWN", "round"};
        double[][] expected = {{3, -2, 3, -2}, {2, -3, 2, -3}, {2, -2, 2, -2}, {3, -3, 2, -3}, {2, -2, 2, -3}, {2, -2, 2, -3}};
        for (int m = 0; m < modes.length; m++) {
            Tensor y = run(quant(true, false, modes[m]), x, ONE, ZERO, Tensor.scalar(8));
            assertArrayEquals(expected[m], y.data(), 0.0, modes[m]);
        }
    }

    @Test
    void intQuantIsQuant() {
        Tensor y = run(qonnx("IntQuant"), Tensor.vector(2.5, 200), ONE, ZERO, Tensor.scalar(8));
        assertArrayEquals(new double[] {2, 127}, y.data(), 0.0);
    }

    @Test
    void unknownRoundingModeIsRefusedNamingTheNode() {
        BcflowException e = assertThrows(BcflowException.class,
                () -> run(quant(true, false, "STOCHASTIC").withName("act0"), ONE, ONE, ZERO, Tensor.scalar(2)));
        assertTrue(e.getMessage().contains("act0") && e.getMessage().contains("STOCHASTIC"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void bipolarQuantMapsZeroToPlusScale() {
        Tensor y = run(qonnx("BipolarQuant"), Tensor.vector(-1e-9, 0, -0.0, 3, -7), Tensor.scalar(2));
        assertArrayEquals(new double[] {-2, 2, 2, 2, -2}, y.data(), 0.0);
    }

    @Test
    void olderDomainNamesRunTheSameOps() {
        for (String domain : new String[] {OnnxGraph.FINN_DOMAIN, OnnxGraph.BREVITAS_DOMAIN}) {
            Tensor y = run(OpRunner.op("BipolarQuant").withDomain(domain), Tensor.vector(-1, 0), ONE);
            assertArrayEquals(new double[] {-1, 1}, y.data(), 0.0, domain);
        }
    }

    @Test
    void multiThresholdCountsThresholdsReachedIncludingEquality() {
        Tensor x = t(new int[] {1, 4}, 0.4, 0.5, 1.0, 2.0);
        Tensor thresholds = t(new int[] {1, 3}, 0.5, 1.0, 1.5);
        Tensor y = run(qonnx("MultiThreshold"), x, thresholds);
        assertArrayEquals(new double[] {0, 1, 2, 3}, y.data(), 0.0);
    }

    @Test
    void multiThresholdScaleAndBiasMakeBipolarOutputs() {
        Node n = qonnx("MultiThreshold").with("out_scale", Attribute.ofFloat(2)).with("out_bias", Attribute.ofFloat(-1))
                .with("out_dtype", Attribute.ofString("BIPOLAR"));
        Tensor y = run(n, t(new int[] {1, 3}, -0.1, 0, 0.1), t(new int[] {1, 1}, 0));
        assertArrayEquals(new double[] {-1, 1, 1}, y.data(), 0.0);
    }

    @Test
    void multiThresholdUsesEachChannelsRowInNchw() {
        // [N=1, C=2, H=1, W=2]; channel 0 thresholds {0, 10}, channel 1 {5, 6}
        Tensor x = t(new int[] {1, 2, 1, 2}, 0, 10, 5, 10);
        Tensor y = run(qonnx("MultiThreshold"), x, t(new int[] {2, 2}, 0, 10, 5, 6));
        assertArrayEquals(new double[] {1, 2, 1, 2}, y.data(), 0.0);
        // NHWC [1, H=1, W=2, C=2]: the channel is the last axis, so the values alternate channels
        Node nhwc = qonnx("MultiThreshold").with("data_layout", Attribute.ofString("NHWC"));
        Tensor z = run(nhwc, t(new int[] {1, 1, 2, 2}, 0, 5, 10, 10), t(new int[] {2, 2}, 0, 10, 5, 6));
        assertArrayEquals(new double[] {1, 1, 2, 2}, z.data(), 0.0);
    }

    @Test
    void multiThresholdRefusesRowsThatDoNotMatchTheChannels() {
        BcflowException e = assertThrows(BcflowException.class,
                () -> run(qonnx("MultiThreshold"), t(new int[] {1, 3}, 0, 0, 0), t(new int[] {2, 1}, 0, 0)));
        assertTrue(e.getMessage().contains("2 rows of thresholds for 3 channels"), e.getMessage());
    }

    @Test
    void quantOutputsAreExactMultiplesOfTheScale() {
        Tensor y = run(quant(true, true, null), Tensor.vector(0.3, -0.3, 0.1), Tensor.scalar(0.25), ZERO, Tensor.scalar(2));
        assertEquals(0.25, y.at(0), 0.0);
        assertEquals(-0.25, y.at(1), 0.0);
        assertEquals(0.0, y.at(2), 0.0);
    }
}
