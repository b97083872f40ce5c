package org.bcflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HardwareSupportTest {
    @Test
    void mlpsAndConvStacksPass() {
        HardwareSupport.requireGeneratable(RandomNetwork.create(1, new int[] {6, 3}, new int[] {8}), "mlp.bcnet");
        HardwareSupport.requireGeneratable(RandomNetwork.create(1, new FeatureMap(1, 4, 4), Architecture.parse("2C3-MP2-2C1-4FC-3"),
                new int[] {8, 2, 2, 2}), "net.bcnet");
        HardwareSupport.requireGeneratable(Architecture.parse("2C3-MP2-2C1-4FC-3"));
    }

    @Test
    void everyOtherLayerOrderIsOneLine() {
        Network twoPools = RandomNetwork.create(1, new FeatureMap(1, 8, 8), Architecture.parse("2C3-MP2-MP2-3"), new int[] {8, 2});
        BcflowException e = assertThrows(BcflowException.class, () -> HardwareSupport.requireGeneratable(twoPools, "net.bcnet"));
        assertEquals("net.bcnet: layer pool1 (maxpool): a max-pool must follow a conv layer directly in hardware", e.getMessage());
        Network onMap = new Network(new FeatureMap(2, 1, 3), List.of(RandomNetwork.create(1, new int[] {6, 3}, new int[] {8}).layer(0)),
                Map.of());
        e = assertThrows(BcflowException.class, () -> HardwareSupport.requireGeneratable(onMap, null));
        assertEquals("layer dense0 (dense): a network on an input map must start with a conv layer in hardware", e.getMessage());
        e = assertThrows(BcflowException.class, () -> HardwareSupport.requireGeneratable(Architecture.parse("MP2-2C3-3")));
        assertEquals("token 'MP2': a max-pool must follow a conv layer directly in hardware", e.getMessage());
        e = assertThrows(BcflowException.class, () -> HardwareSupport.requireGeneratable(Architecture.parse("2C3-4FC-2C3-3")));
        assertEquals("token '2C3': a conv layer after a dense layer has no hardware", e.getMessage());
    }
}
