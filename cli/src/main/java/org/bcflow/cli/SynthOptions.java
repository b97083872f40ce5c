package org.bcflow.cli;

import java.time.Duration;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;
import org.bcflow.synth.Device;
import org.bcflow.synth.Synthesizer;

/** How a design is synthesized: synth and flow --synth; the defaults are {@link Synthesizer.Options#defaults()}. */
final class SynthOptions {
    private static final Synthesizer.Options D = Synthesizer.Options.defaults();

    static final Opt<Boolean> SYNTH = Opt.flag("synth",
            "also synthesize the RTL (Yosys, nextpnr-ice40) as the last stage: OUT/rtl/synth/");
    static final Opt<String> DEVICE = Opt.of("device", "NAME", D.device(), SynthOptions::device,
            "iCE40 device for nextpnr: hx8k, hx4k, hx1k, lp8k, up5k, ...");
    static final Opt<String> PACKAGE = Opt.computed("package", "NAME", "the device's usual one, ct256 for hx8k",
            Parse.text(), "device package");
    static final Opt<List<String>> FAMILIES = new Opt<>("families", "LIST", D.families(), "none",
            Parse.names("xilinx,ecp5"), "extra Yosys-only estimates: xilinx, ecp5");
    static final Opt<Double> FREQ = Opt.of("freq", "MHZ", D.targetMhz(), Parse.number(), "target frequency for nextpnr");
    static final Opt<Boolean> NO_PNR = Opt.flag("no-pnr", "Yosys only: skip nextpnr place and route (no Fmax)");
    static final Opt<Integer> SYNTH_TIMEOUT = Opt.of("synth-timeout", "MIN", (int) D.timeout().toMinutes(),
            Parse.atLeast(1), "minutes per tool run");

    /** The options synth shares with flow --synth. */
    static final List<Opt<?>> ALL = List.of(DEVICE, PACKAGE, FAMILIES, FREQ, NO_PNR, SYNTH_TIMEOUT);

    private SynthOptions() {
    }

    /** The device's name as given (nextpnr takes it so); an unknown device fails here, before any work. */
    private static String device(String option, String text) {
        Device.of(text);
        return text;
    }

    static Synthesizer.Options options(CommandLine line) throws ParseException {
        List<String> families = FAMILIES.get(line);
        return new Synthesizer.Options(DEVICE.get(line), PACKAGE.get(line), families, FREQ.get(line), !NO_PNR.get(line),
                Duration.ofMinutes(SYNTH_TIMEOUT.get(line)));
    }
}
