package org.bcflow.synth;

import java.util.List;
import java.util.TreeSet;
import org.bcflow.core.BcflowException;
import org.bcflow.core.DenseLayer;
import org.bcflow.core.Divisors;
import org.bcflow.core.HardwareSupport;
import org.bcflow.core.Network;
import org.bcflow.rtlgen.CycleModel;
import org.bcflow.rtlgen.Design;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.LayerFolding;
import org.bcflow.rtlgen.RtlGenerator;

/**
 * The fastest automatic folding whose {@link ResourceModel} estimate fits an iCE40 device: block
 * RAMs at most the device's, logic cells at most the device's less a safety margin (the model is
 * within about 10% of nextpnr, see docs/synthesis.md). Candidates are the automatic foldings
 * ({@link Folding#forTarget}) for every cycle count a layer can take, fastest first; the first that
 * fits wins. (Not a binary search: block RAMs do not shrink with the lanes, a one-bit-wide weight
 * ROM packs worse than a wide one.) Each candidate is planned and its ROM contents built in memory;
 * nothing is written.
 */
public final class DeviceFit {
    private DeviceFit() {
    }

    /**
     * The chosen folding, its cycles per image, its estimate, how many candidates were estimated,
     * and the next faster candidate that did not fit (null when the fastest fits).
     */
    public record Result(Folding folding, long intervalCycles, ResourceModel.Estimate estimate, int evaluated,
            Result fasterRejected) {
    }

    public static Result fastest(Network net, RtlGenerator generator, int pixelsPerBeat, Device device, double margin) {
        HardwareSupport.requireGeneratable(net, null);
        if (!(margin >= 0 && margin < 1)) {
            throw new BcflowException("the fit margin must be at least 0% and below 100%, got " + 100 * margin + "%");
        }
        long cellLimit = (long) Math.floor(device.logicCells() * (1 - margin));
        Result fewestCells = null;
        Result fewestBlocks = null;
        int evaluated = 0;
        Folding previous = null;
        Result rejected = null;
        for (long target : candidateTargets(net, pixelsPerBeat)) {
            Folding folding = Folding.forTarget(net, target);
            if (folding.equals(previous)) {
                continue;
            }
            previous = folding;
            Result r = estimate(net, generator, pixelsPerBeat, folding);
            evaluated++;
            if (r.estimate().logicCells() <= cellLimit && r.estimate().blockRams() <= device.blockRams()) {
                return new Result(r.folding(), r.intervalCycles(), r.estimate(), evaluated, rejected);
            }
            rejected = r;
            if (fewestCells == null || r.estimate().logicCells() < fewestCells.estimate().logicCells()) {
                fewestCells = r;
            }
            if (fewestBlocks == null || r.estimate().blockRams() < fewestBlocks.estimate().blockRams()) {
                fewestBlocks = r;
            }
        }
        throw new NothingFits(String.format("no automatic folding of %s fits the %s (%,d logic cells with %d%% margin,"
                + " %d block RAMs): the fewest logic cells the model finds are %,d (folding %s), the fewest block RAMs %d"
                + " (folding %s)", net.describe(), device.name(), cellLimit, Math.round(100 * margin), device.blockRams(),
                fewestCells.estimate().logicCells(), fewestCells.folding(), fewestBlocks.estimate().blockRams(),
                fewestBlocks.folding()));
    }

    /** No folding fits the device by the model: a finding about the network and the device, not a broken input. */
    public static final class NothingFits extends BcflowException {
        private static final long serialVersionUID = 1L;

        NothingFits(String message) {
            super(message);
        }
    }

    private static Result estimate(Network net, RtlGenerator generator, int pixelsPerBeat, Folding folding) {
        Design design = generator.plan(net, folding);
        ResourceModel.Estimate total = ResourceModel.estimate(design, RtlGenerator.roms(net, design)).get(0);
        return new Result(folding, design.intervalCycles(), total, 0, null);
    }

    /** Every cycle count some layer takes at some folding, from the input stream's cycles per image on (ascending). */
    static List<Long> candidateTargets(Network net, int pixelsPerBeat) {
        long floor = CycleModel.inputCycles(net, pixelsPerBeat);
        TreeSet<Long> out = new TreeSet<>();
        out.add(floor);
        for (int i = 0; i < net.layers().size(); i++) {
            DenseLayer l = net.layer(i);
            for (int pe : Divisors.of(l.outputs())) {
                for (int simd : Folding.simdChoices(net, i)) {
                    long c = Folding.layerCycles(net, i, new LayerFolding(pe, simd));
                    if (c >= floor) {
                        out.add(c);
                    }
                }
            }
        }
        return List.copyOf(out);
    }
}
