package org.bcflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.Test;

/** Every option is declared once, and its help, default and range come from that declaration. */
class OptionRegistryTest {
    /**
     * Names that mean different things in different commands, each declared by its command:
     * --out (each command's folder), --count (fuzz: cases; verify: images), --seed (train, fuzz,
     * bench-rtl), --hidden and --batch (bench-train measures the paper's MLP, train defaults to a small one).
     */
    private static final Set<String> PER_COMMAND = Set.of("out", "count", "seed", "hidden", "batch");

    @Test
    void everyCommandListsEachOptionOnceAndBuildsItsOptions() {
        for (Command c : Main.COMMANDS) {
            Set<String> names = new HashSet<>();
            for (Opt<?> o : c.options()) {
                assertTrue(names.add(o.name()), c.name() + " lists --" + o.name() + " twice");
            }
            assertEquals(names.size(), Opt.options(c.options()).getOptions().size(), c.name());
        }
    }

    @Test
    void aNameSharedByCommandsIsOneDeclaration() {
        Map<String, Opt<?>> first = new HashMap<>();
        for (Command c : Main.COMMANDS) {
            for (Opt<?> o : c.options()) {
                Opt<?> seen = first.putIfAbsent(o.name(), o);
                if (seen != null && seen != o && !PER_COMMAND.contains(o.name())) {
                    throw new AssertionError("--" + o.name() + " is declared twice (" + c.name() + ")");
                }
            }
        }
    }

    @Test
    void helpStatesTheDefaultAndTheRange() {
        assertEquals("bits of the hidden activations in hardware (1..16; default 4)", InputOptions.ACT_BITS.description());
        assertEquals("clock the design is meant to run at: --target-rate's cycles per image, asic's timing verdict (default 50)",
                FoldingOptions.CLOCK_MHZ.description());
        assertTrue(SynthOptions.SYNTH_TIMEOUT.description().endsWith("(at least 1; default 60)"),
                SynthOptions.SYNTH_TIMEOUT.description());
    }

    @Test
    void synthTimeoutHasOneDefault() {
        assertEquals(org.bcflow.synth.Synthesizer.Options.defaults().timeout().toMinutes(),
                (long) SynthOptions.SYNTH_TIMEOUT.fallback());
    }

    private static CommandLine parse(List<Opt<?>> opts, String... args) throws ParseException {
        return new DefaultParser().parse(Opt.options(opts), args);
    }

    @Test
    void valuesGoThroughTheirParser() throws ParseException {
        CommandLine none = parse(List.of(InputOptions.ACT_BITS));
        assertEquals(4, InputOptions.ACT_BITS.get(none));
        assertEquals(7, InputOptions.ACT_BITS.get(parse(List.of(InputOptions.ACT_BITS), "--act-bits", "7")));
        ParseException e = assertThrows(ParseException.class,
                () -> InputOptions.ACT_BITS.get(parse(List.of(InputOptions.ACT_BITS), "--act-bits", "17")));
        assertEquals("--act-bits must be 1..16, got 17", e.getMessage());
        e = assertThrows(ParseException.class,
                () -> TrainingOptions.EPOCHS.get(parse(TrainingOptions.ALL, "--epochs", "0")));
        assertEquals("--epochs must be at least 1, got 0", e.getMessage());
    }

    @Test
    void theListParser() throws ParseException {
        Parse.Parser<List<Integer>> bits = Parse.list(Parse.bitWidth(), "2,4,8");
        assertEquals(List.of(2, 4, 8), bits.parse("--hw-bits", "2, 4,8"));
        assertEquals(List.of(16), bits.parse("--hw-bits", "16"));
        ParseException e = assertThrows(ParseException.class, () -> bits.parse("--hw-bits", "2,20"));
        assertEquals("--hw-bits takes a comma-separated list, each 1..16, such as 2,4,8; got '2,20'", e.getMessage());
        e = assertThrows(ParseException.class, () -> bits.parse("--hw-bits", "2,x"));
        assertTrue(e.getMessage().endsWith("got '2,x'"), e.getMessage());
        assertEquals(List.of("xilinx", "ecp5"), Parse.names("xilinx").parse("--families", "xilinx,,ecp5"));
    }

    @Test
    void choicesListTheirNames() {
        ParseException e = assertThrows(ParseException.class,
                () -> TrainingOptions.BINARIZATION.get(parse(TrainingOptions.ALL, "--binarization", "x")));
        assertEquals("--binarization takes det, stoch or none, got 'x'", e.getMessage());
    }
}
