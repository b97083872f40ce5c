package org.bcflow.synth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.Json;
import org.bcflow.rtlgen.Design;

/**
 * The result of one synthesis run: Yosys iCE40 cells, nextpnr utilisation and Fmax (null when
 * place and route was not asked for), the analytic model (total first, then per part), and
 * Yosys-only counts of other families.
 */
public record SynthReport(Design design, Device device, String packageName, CellCounts ice40, PnrResult pnr,
        List<ResourceModel.Estimate> model, Map<String, CellCounts> families, List<String> warnings, double seconds,
        Path outDir) {

    public static final String FILE = "synth.json";

    public ResourceModel.Estimate modelTotal() {
        return model.get(0);
    }

    /** Post-route Fmax in MHz, NaN without place and route. */
    public double fmaxMhz() {
        return pnr == null ? Double.NaN : pnr.fmaxMhz();
    }

    public double imagesPerSecond() {
        return Double.isNaN(fmaxMhz()) ? Double.NaN : fmaxMhz() * 1e6 / design.intervalCycles();
    }

    /** Logic cells from Yosys's LUT4 and flip-flop counts, as nextpnr usually packs them (for runs without it). */
    public long logicCellsEstimate() {
        return ResourceModel.logicCells(ice40.luts(), ice40.flipFlops());
    }

    /**
     * Whether the design fits the device (logic cells and block RAMs): judged by nextpnr when it ran,
     * else by {@link #logicCellsEstimate}.
     */
    public boolean fits() {
        if (pnr != null && pnr.error() == null && pnr.logicCells() >= 0) {
            return true;
        }
        long lcs = pnr != null && pnr.logicCells() >= 0 ? pnr.logicCells() : logicCellsEstimate();
        return lcs <= device.logicCells() && ice40.blockRams() <= device.blockRams() && (pnr == null || pnr.error() == null);
    }

    static double errorPct(long model, long measured) {
        return measured == 0 ? (model == 0 ? 0 : 100) : 100.0 * (model - measured) / measured;
    }

    /**
     * synth.json (schema docs/schemas/synth.schema.json): the measured counts, the device's limits,
     * the model beside them and the place-and-route details when it ran.
     */
    public record Document(String device, @JsonProperty("package") String packageName, String top, String networkHash,
            Long logicCells, long logicCellsEstimate, int logicCellsAvailable, long luts, long flipFlops, long carries,
            long blockRams, int blockRamsAvailable, long latches, boolean fits, Double fmaxMhz, Double imagesPerSecond,
            long intervalCycles, @JsonUnwrapped PlaceAndRoute placeAndRoute, Model model, Map<String, Long> cells,
            Map<String, CellCounts> families, int yosysWarnings, List<String> firstWarnings, double seconds, String logs) {
    }

    /** What nextpnr said; absent from synth.json (not even its keys) when it did not run. */
    public record PlaceAndRoute(String placeAndRouteError, String criticalPath, List<String> criticalPathReport) {
    }

    /** The model's whole-design estimate (its keys at this level), its error against the measured counts, and its parts. */
    public record Model(@JsonUnwrapped ResourceModel.Estimate total, ErrorPct errorPct, List<ResourceModel.Estimate> parts) {
    }

    /** (model - measured) / measured in percent; logic cells only when nextpnr counted them. */
    public record ErrorPct(double luts, double flipFlops, double carries, double blockRams,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double logicCells) {
    }

    public Document document() {
        boolean placed = pnr != null && pnr.logicCells() >= 0;
        ResourceModel.Estimate m = modelTotal();
        ErrorPct err = new ErrorPct(errorPct(m.luts(), ice40.luts()), errorPct(m.flipFlops(), ice40.flipFlops()),
                errorPct(m.carries(), ice40.carries()), errorPct(m.blockRams(), ice40.blockRams()),
                placed ? errorPct(m.logicCells(), pnr.logicCells()) : null);
        boolean timed = !Double.isNaN(fmaxMhz());
        return new Document("ice40-" + device.name(), packageName, design.top(), design.networkHash(),
                placed ? Long.valueOf(pnr.logicCells()) : null, logicCellsEstimate(), device.logicCells(), ice40.luts(),
                ice40.flipFlops(), ice40.carries(), ice40.blockRams(), device.blockRams(), ice40.latches(), fits(),
                timed ? fmaxMhz() : null, timed ? imagesPerSecond() : null, design.intervalCycles(),
                pnr == null ? null : new PlaceAndRoute(pnr.error(), pnr.criticalPathSummary(), pnr.criticalPath()),
                new Model(m, err, model.subList(1, model.size())), ice40.cells(), families, warnings.size(),
                warnings.stream().limit(10).toList(), seconds, outDir.toString());
    }

    /** synth.json as a tree, to nest in report.json. */
    public ObjectNode toJson() {
        return (ObjectNode) Json.tree(document());
    }

    public void write(Path file) {
        AtomicFiles.writeString(file, Json.text(document()));
    }

    /** The human-readable table: measured, model, error. */
    public String table() {
        ResourceModel.Estimate m = modelTotal();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  %-20s %s (%s), %d logic cells, %d block RAMs%n", "device", "iCE40 " + device.name(),
                packageName, device.logicCells(), device.blockRams()));
        sb.append(String.format("  %-20s %10s %10s %8s%n", "", "measured", "model", "error"));
        row(sb, "LUT4", ice40.luts(), m.luts());
        row(sb, "flip-flops", ice40.flipFlops(), m.flipFlops());
        row(sb, "carries", ice40.carries(), m.carries());
        row(sb, "block RAM (4 Kbit)", ice40.blockRams(), m.blockRams());
        if (pnr != null && pnr.logicCells() >= 0) {
            row(sb, "logic cells", pnr.logicCells(), m.logicCells());
        } else {
            sb.append(String.format("  %-20s %10s %10d  (from the LUT4 and FF counts; no place and route)%n",
                    "logic cells", "~" + logicCellsEstimate(), m.logicCells()));
        }
        if (pnr != null) {
            if (pnr.error() != null) {
                sb.append(String.format("  %-20s FAILED: %s%n", "place and route", pnr.error()));
            }
            if (!Double.isNaN(fmaxMhz())) {
                sb.append(String.format("  %-20s %.2f MHz -> %.0f images/s (%d cycles per image)%n", "Fmax", fmaxMhz(),
                        imagesPerSecond(), design.intervalCycles()));
                sb.append(String.format("  %-20s %s%n", "critical path", pnr.criticalPathSummary()));
            }
        }
        if (!fits()) {
            sb.append(String.format("  %-20s does NOT fit the %s%n", "fit", device.name()));
        }
        families.forEach((name, c) -> sb.append(String.format("  %-20s %d LUTs, %d FFs, %d carries, %d BRAM, %d DSP%n",
                "yosys " + name, c.luts(), c.flipFlops(), c.carries(), c.blockRams(), c.dsps())));
        sb.append(String.format("  %-20s %d (%s)%n", "yosys warnings", warnings.size(), outDir));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String what, long measured, long model) {
        sb.append(String.format("  %-20s %10d %10d %7.1f%%%n", what, measured, model, errorPct(model, measured)));
    }
}
