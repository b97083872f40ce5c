package org.bcflow.synth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.function.Consumer;
import org.bcflow.core.Network;
import org.bcflow.rtlgen.RtlGenerator;

/**
 * A {@link DeviceFit} search as a run asks for it: the device and the logic cells to leave free,
 * what it says about the result, and the {@code fit} object of a report.
 *
 * @param marginPct logic cells to leave free, in percent of the device's
 */
public record FitSearch(Device device, double marginPct) {
    /** The model is within about this much of nextpnr (see the README). */
    public static final double DEFAULT_MARGIN_PCT = 10;

    /** The fastest folding that fits; {@code say} hears one line on the result and one on the next faster folding. */
    public DeviceFit.Result run(Network net, RtlGenerator generator, int pixelsPerBeat, Consumer<String> say) {
        var fit = DeviceFit.fastest(net, generator, pixelsPerBeat, device, marginPct / 100);
        say.accept(String.format(Locale.ROOT, "%s: folding %s, %,d cycles per image; model %,d of %,d logic cells"
                + " (%.0f%% margin), %d of %d block RAMs (%d foldings estimated)", device.name(), fit.folding(),
                fit.intervalCycles(), fit.estimate().logicCells(), device.logicCells(), marginPct,
                fit.estimate().blockRams(), device.blockRams(), fit.evaluated()));
        if (fit.fasterRejected() != null) {
            var r = fit.fasterRejected();
            say.accept(String.format(Locale.ROOT, "the next faster folding, %s at %,d cycles per image, needs %,d"
                    + " logic cells and %d block RAMs", r.folding(), r.intervalCycles(), r.estimate().logicCells(),
                    r.estimate().blockRams()));
        }
        return fit;
    }

    /** The {@code fit} object of a report: the device, the margin, and what the search found. */
    public ObjectNode json(DeviceFit.Result fit) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("device", device.name());
        o.put("margin_pct", marginPct);
        o.put("folding", fit.folding().toString());
        o.put("interval_cycles", fit.intervalCycles());
        o.set("model", estimateJson(fit.estimate()));
        o.put("candidates_estimated", fit.evaluated());
        var next = o.putObject("next_faster");
        if (fit.fasterRejected() != null) {
            next.put("folding", fit.fasterRejected().folding().toString());
            next.put("interval_cycles", fit.fasterRejected().intervalCycles());
            next.set("model", estimateJson(fit.fasterRejected().estimate()));
        }
        return o;
    }

    /** The estimate as synth.json's {@code model} writes it: one record, one way. */
    private static ObjectNode estimateJson(ResourceModel.Estimate e) {
        return org.bcflow.core.Json.MAPPER.valueToTree(e);
    }
}
