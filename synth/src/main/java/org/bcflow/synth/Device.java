package org.bcflow.synth;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bcflow.core.BcflowException;

/**
 * An iCE40 device nextpnr-ice40 can place on: its command-line flag, a default package, and its
 * logic cells (one LUT4 + one flip-flop + carry each) and 4 Kbit block RAMs (SB_RAM40_4K).
 */
public record Device(String name, String defaultPackage, int logicCells, int blockRams) {

    private static final Map<String, Device> KNOWN = new LinkedHashMap<>();

    static {
        for (Device d : new Device[] {
            new Device("hx8k", "ct256", 7680, 32),
            new Device("hx4k", "tq144", 3520, 20),
            new Device("hx1k", "tq144", 1280, 16),
            new Device("lp8k", "cm225", 7680, 32),
            new Device("lp4k", "cm225", 3520, 20),
            new Device("lp1k", "cm121", 1280, 16),
            new Device("lp384", "qn32", 384, 0),
            new Device("up5k", "sg48", 5280, 30),
            new Device("up3k", "sg48", 2800, 20),
            new Device("u4k", "sg48", 3520, 20),
        }) {
            KNOWN.put(d.name, d);
        }
    }

    public static final String DEFAULT = "hx8k";

    public static Device of(String name) {
        Device d = KNOWN.get(name.toLowerCase(java.util.Locale.ROOT));
        if (d == null) {
            throw new BcflowException("unknown iCE40 device '" + name + "'; known: " + String.join(", ", KNOWN.keySet()));
        }
        return d;
    }

    /** nextpnr-ice40's option for this device, e.g. {@code --hx8k}. */
    public String flag() {
        return "--" + name;
    }
}
