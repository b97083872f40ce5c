package org.bcflow.synth;

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
    /** The model is within about this much of nextpnr (docs/synthesis.md). */
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

    /**
     * The {@code fit} object of a report: the device, the margin, and what the search found.
     *
     * @param nextFaster the next faster folding, which did not fit (empty when there is none)
     */
    public record Report(String device, double marginPct, String folding, long intervalCycles, ResourceModel.Estimate model,
            int candidatesEstimated, NextFaster nextFaster) {
    }

    /** A folding the search passed over, with what it would need. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record NextFaster(String folding, Long intervalCycles, ResourceModel.Estimate model) {
    }

    public Report report(DeviceFit.Result fit) {
        var next = fit.fasterRejected();
        return new Report(device.name(), marginPct, fit.folding().toString(), fit.intervalCycles(), fit.estimate(),
                fit.evaluated(), next == null ? new NextFaster(null, null, null)
                        : new NextFaster(next.folding().toString(), next.intervalCycles(), next.estimate()));
    }
}
