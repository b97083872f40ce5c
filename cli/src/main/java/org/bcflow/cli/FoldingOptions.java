package org.bcflow.cli;

import static org.bcflow.cli.Parse.atLeast;

import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;
import org.bcflow.core.Network;
import org.bcflow.core.Thresholds;
import org.bcflow.rtlgen.BatchNormStyle;
import org.bcflow.rtlgen.Folding;
import org.bcflow.rtlgen.InputBuffer;
import org.bcflow.rtlgen.RtlGenerator;
import org.bcflow.synth.Device;
import org.bcflow.synth.DeviceFit;
import org.bcflow.synth.FitSearch;

/** How the RTL is generated: the folding, or the device it must fit, and the generator's choices. */
final class FoldingOptions {
    static final Opt<List<Integer>> PE = Opt.computed("pe", "LIST", "automatic", lanes(),
            "output neurons in parallel per layer, or one for all");
    static final Opt<List<Integer>> SIMD = Opt.computed("simd", "LIST", "automatic", lanes(),
            "inputs in parallel per layer, or one for all");
    static final Opt<Integer> PIXELS_PER_BEAT = Opt.of("pixels-per-beat", "N", 1, atLeast(1),
            "input values per s_axis beat");
    static final Opt<Integer> TARGET_CYCLES = Opt.computed("target-cycles", "N", "the input stream's cycles per image",
            atLeast(1), "automatic folding: the fewest lanes with every layer within N cycles per image");
    static final Opt<Double> TARGET_RATE = Opt.computed("target-rate", "IMAGES_PER_S", null, Parse.positive(),
            "automatic folding for a throughput at --clock-mhz: the fewest lanes with every layer within clock / rate"
                    + " cycles per image");
    static final Opt<Double> CLOCK_MHZ = Opt.of("clock-mhz", "MHZ", 50.0, Parse.positive(),
            "clock the design is meant to run at: --target-rate's cycles per image, asic's timing verdict");
    static final Opt<Device> FIT = Opt.computed("fit", "DEVICE", null, Parse.by(Device::of), "automatic folding:"
            + " the fastest whose resource estimate fits this iCE40 device (hx8k, up5k, ...) within --fit-margin");
    static final Opt<Double> FIT_MARGIN = Opt.of("fit-margin", "PCT", FitSearch.DEFAULT_MARGIN_PCT, Parse.percentBelow100(),
            "logic cells to leave free with --fit, for the model's error");
    static final Opt<String> TOP = Opt.of("top", "NAME", "bcnet", Parse.text(), "name of the top module");
    static final Opt<InputBuffer> INPUT_BUFFER = new Opt<>("input-buffer", "WHERE", null,
            "auto: ram from " + InputBuffer.RAM_MIN_FOLDS + " input folds on", Parse.by(InputBuffer::parse),
            "where the first layer keeps the image: ram (block RAM, needs SIMD a multiple of the pixels per beat),"
                    + " registers, or auto");
    static final Opt<BatchNormStyle> BATCHNORM = new Opt<>("batchnorm", "STYLE", null, "thresholds",
            Parse.by(BatchNormStyle::parse), "batch norm in hardware: thresholds (hidden layers of at most "
                    + Thresholds.MAX_BITS + " bits compare with 2^k-1 thresholds, no multiplier) or muladd (every layer"
                    + " multiplies, adds and shifts: less ROM, a multiplier per lane)");
    static final Opt<Boolean> NO_SCORES = Opt.flag("no-scores",
            "no m_axis_tuser: only the class index leaves the design (fewer pins and registers)");
    static final Opt<Boolean> EMBED_ROMS = Opt.flag("embed-roms",
            "put the ROM contents into the Verilog (bc_rom.v) instead of reading .mem files");

    static final List<Opt<?>> ALL = List.of(PE, SIMD, PIXELS_PER_BEAT, TARGET_CYCLES, TARGET_RATE, CLOCK_MHZ, FIT,
            FIT_MARGIN, TOP, INPUT_BUFFER, BATCHNORM, NO_SCORES, EMBED_ROMS);

    private FoldingOptions() {
    }

    private static Parse.Parser<List<Integer>> lanes() {
        return Parse.wholeNumbers(1, Integer.MAX_VALUE, "16,8,10");
    }

    /** The RTL generator the options describe. */
    static RtlGenerator generator(CommandLine line) throws ParseException {
        return new RtlGenerator(TOP.get(line), PIXELS_PER_BEAT.get(line))
                .withInputBuffer(INPUT_BUFFER.get(line, InputBuffer.parse("auto")))
                .withScores(!NO_SCORES.get(line))
                .withEmbeddedRoms(EMBED_ROMS.get(line))
                .withBatchNorm(BATCHNORM.get(line, BatchNormStyle.parse("thresholds")));
    }

    /** The options' own errors (conflicts, unknown device), found before any work that needs the network. */
    static void check(CommandLine line) throws ParseException {
        if (TARGET_RATE.given(line) && TARGET_CYCLES.given(line)) {
            throw new ParseException("--target-rate and --target-cycles both set a target: give one");
        }
        if (FIT.given(line)) {
            for (Opt<?> other : List.of(TARGET_RATE, TARGET_CYCLES, PE, SIMD)) {
                if (other.given(line)) {
                    throw new ParseException("--fit chooses the folding itself: leave out --" + other.name());
                }
            }
            FIT.get(line);
            FIT_MARGIN.get(line);
        }
        generator(line);
    }

    /** The --fit search for this network (said on the console), or null without --fit. */
    static DeviceFit.Result fit(CommandLine line, Network net) throws ParseException {
        check(line);
        FitSearch search = search(line);
        return search == null ? null : search.run(net, generator(line), PIXELS_PER_BEAT.get(line), m -> Stages.say("fit", m));
    }

    /** The --fit request, or null without --fit. */
    static FitSearch search(CommandLine line) throws ParseException {
        return FIT.given(line) ? new FitSearch(FIT.get(line), FIT_MARGIN.get(line)) : null;
    }

    static Folding folding(CommandLine line, Network net) throws ParseException {
        var fit = fit(line, net);
        if (fit != null) {
            return fit.folding();
        }
        List<Integer> pe = PE.get(line);
        List<Integer> simd = SIMD.get(line);
        if (TARGET_RATE.given(line)) {
            double rate = TARGET_RATE.get(line);
            double clock = CLOCK_MHZ.get(line);
            long cycles = (long) Math.floor(clock * 1e6 / rate);
            if (cycles < 1) {
                throw new ParseException("--target-rate " + rate + " images/s is more than one image per cycle at " + clock + " MHz");
            }
            return Folding.forTargetCycles(net, pe, simd, cycles);
        }
        if (TARGET_CYCLES.given(line)) {
            return Folding.forTargetCycles(net, pe, simd, TARGET_CYCLES.get(line));
        }
        return Folding.forInputRate(net, pe, simd, PIXELS_PER_BEAT.get(line));
    }
}
