package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HardwareSupportTest {
    @Test
    void mlpsPassAndEveryOtherNetworkIsOneLine() {
        HardwareSupport.requireMlp(RandomNetwork.create(1, new int[] {6, 3}, new int[] {8}), "mlp.bcnet");
        Network cnn = RandomNetwork.create(1, new FeatureMap(1, 4, 4), Architecture.parse("2C3-MP2-2C1-3"), new int[] {8, 2, 2});
        BcflowException e = assertThrows(BcflowException.class, () -> HardwareSupport.requireMlp(cnn, "net.bcnet"));
        assertEquals("net.bcnet: conv and max-pool layers (conv0, pool0, conv1) have no hardware generator yet;"
                + " rtl, verify and synth take MLPs only", e.getMessage());
        Network onMap = new Network(new FeatureMap(2, 1, 3), List.of(RandomNetwork.create(1, new int[] {6, 3}, new int[] {8}).layer(0)),
                Map.of());
        e = assertThrows(BcflowException.class, () -> HardwareSupport.requireMlp(onMap, null));
        assertEquals("dense layers on a 2x1x3 input map (not a vector) have no hardware generator yet;"
                + " rtl, verify and synth take MLPs only", e.getMessage());
    }
}
