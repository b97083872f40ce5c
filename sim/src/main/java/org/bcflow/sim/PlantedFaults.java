package org.bcflow.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.Network;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.RomImage;
import org.bcflow.rtlgen.RtlGenerator;

/**
 * Test support: deliberate bugs applied to a generated folder after the (correct) generator wrote
 * it, so that tests and {@code bcflow fuzz --plant-fault} can show that the verification catches a
 * broken generator. Nothing here is ever part of a real design; the production generator carries
 * no fault code.
 */
public final class PlantedFaults {
    /** A fault: rewrites the folder {@code rtl} that the generator wrote for {@code net}. */
    @FunctionalInterface
    public interface Fault {
        void plant(Network net, Design design, Path rtl);
    }

    private static final Pattern SHIFT = Pattern.compile("\\.SHIFT\\((\\d+)\\)");

    /**
     * Every layer's SHIFT one too large, in the top's parameters and in the threshold ROMs derived
     * from it; network.bcnet and design.json still describe the network as given.
     */
    public static final Fault SHIFT_ONE_TOO_LARGE = (net, design, rtl) -> {
        Path top = rtl.resolve(design.top() + ".v");
        try {
            Matcher m = SHIFT.matcher(Files.readString(top));
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, ".SHIFT(" + (Integer.parseInt(m.group(1)) + 1) + ")");
            }
            m.appendTail(sb);
            Files.writeString(top, sb.toString());
        } catch (IOException e) {
            throw org.bcflow.core.FileErrors.failure("cannot plant the fault in", top, e);
        }
        for (RomImage rom : RtlGenerator.roms(shiftedByOne(net), design)) {
            rom.writeAll(rtl);
        }
    };

    private PlantedFaults() {
    }

    /** A layer of explicit thresholds has no shift: its analogue is every threshold one higher (within the range). */
    private static DenseLayer thresholdsRaised(DenseLayer l) {
        long never = (long) l.inputs() * l.maxInput() + 1;
        long[][] t = l.thresholds();
        for (long[] row : t) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.min(never, row[j] + 1);
            }
        }
        return DenseLayer.withThresholds(l.name(), l.weights(), l.inputBits(), t);
    }

    private static Network shiftedByOne(Network net) {
        Network out = net;
        for (int i = 0; i < net.layers().size(); i++) {
            DenseLayer l = net.layer(i);
            out = out.withLayer(i, l.hasThresholds() ? thresholdsRaised(l)
                    : new DenseLayer(l.name(), l.weights(), l.inputBits(), l.mul(), l.add(), l.shift() + 1));
        }
        return out;
    }
}
