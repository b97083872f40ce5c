package org.bcflow.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bcflow.core.AtomicFiles;
import org.bcflow.core.BcflowException;
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
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Records as JSON objects, their components as snake_case keys. */
    private static final ObjectMapper SNAKE_CASE =
            new ObjectMapper().setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

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

    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("device", "ice40-" + device.name());
        o.put("package", packageName);
        o.put("top", design.top());
        o.put("network_hash", design.networkHash());
        o.put("logic_cells", pnr != null && pnr.logicCells() >= 0 ? pnr.logicCells() : null);
        o.put("logic_cells_estimate", logicCellsEstimate());
        o.put("logic_cells_available", device.logicCells());
        o.put("luts", ice40.luts());
        o.put("flip_flops", ice40.flipFlops());
        o.put("carries", ice40.carries());
        o.put("block_rams", ice40.blockRams());
        o.put("block_rams_available", device.blockRams());
        o.put("latches", ice40.latches());
        o.put("fits", fits());
        if (Double.isNaN(fmaxMhz())) {
            o.putNull("fmax_mhz");
            o.putNull("images_per_second");
        } else {
            o.put("fmax_mhz", fmaxMhz());
            o.put("images_per_second", imagesPerSecond());
        }
        o.put("interval_cycles", design.intervalCycles());
        if (pnr != null) {
            o.put("place_and_route_error", pnr.error());
            o.put("critical_path", pnr.criticalPathSummary());
            ArrayNode path = o.putArray("critical_path_report");
            pnr.criticalPath().forEach(path::add);
        }
        ResourceModel.Estimate m = modelTotal();
        ObjectNode model = o.putObject("model");
        model.put("luts", m.luts());
        model.put("flip_flops", m.flipFlops());
        model.put("carries", m.carries());
        model.put("block_rams", m.blockRams());
        model.put("logic_cells", m.logicCells());
        ObjectNode err = model.putObject("error_pct");
        err.put("luts", errorPct(m.luts(), ice40.luts()));
        err.put("flip_flops", errorPct(m.flipFlops(), ice40.flipFlops()));
        err.put("carries", errorPct(m.carries(), ice40.carries()));
        err.put("block_rams", errorPct(m.blockRams(), ice40.blockRams()));
        if (pnr != null && pnr.logicCells() >= 0) {
            err.put("logic_cells", errorPct(m.logicCells(), pnr.logicCells()));
        }
        ArrayNode parts = model.putArray("parts");
        for (ResourceModel.Estimate e : model().subList(1, model().size())) {
            parts.add((ObjectNode) SNAKE_CASE.valueToTree(e));
        }
        ObjectNode cells = o.putObject("cells");
        ice40.cells().forEach(cells::put);
        ObjectNode fam = o.putObject("families");
        families.forEach((name, c) -> {
            ObjectNode x = fam.putObject(name);
            x.put("luts", c.luts());
            x.put("flip_flops", c.flipFlops());
            x.put("carries", c.carries());
            x.put("block_rams", c.blockRams());
            x.put("dsps", c.dsps());
            ObjectNode xc = x.putObject("cells");
            c.cells().forEach(xc::put);
        });
        o.put("yosys_warnings", warnings.size());
        ArrayNode w = o.putArray("first_warnings");
        warnings.stream().limit(10).forEach(w::add);
        o.put("seconds", seconds);
        o.put("logs", outDir.toString());
        return o;
    }

    public void write(Path file) {
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(toJson()) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BcflowException("cannot write " + file + ": " + e.getMessage());
        }
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
