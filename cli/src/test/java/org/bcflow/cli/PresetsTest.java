package org.bcflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.Test;

class PresetsTest {
    private static final FlowCommand FLOW = new FlowCommand();

    private static CommandLine flow(String... args) throws ParseException {
        return new DefaultParser().parse(Opt.options(FLOW.options()), FLOW.arguments(args));
    }

    /** Every preset is options flow knows, with values its parsers take: a preset cannot rot unnoticed. */
    @Test
    void everyPresetParsesAsFlowOptions() throws ParseException {
        for (Presets.Preset p : Presets.ALL.values()) {
            CommandLine line = flow("--preset", p.name());
            assertTrue(line.getArgList().isEmpty(), p.name() + " leaves arguments over: " + line.getArgList());
            TrainingOptions.config(line);             // every training option's value parses
            InputOptions.ACT_BITS.get(line);
            FoldingOptions.check(line);
        }
    }

    @Test
    void optionsGivenBesideAPresetOverrideItsOwn() throws ParseException {
        CommandLine line = flow("--epochs", "3", "--preset", "hx8k-mlp", "--act-bits", "4");
        assertEquals(3, TrainingOptions.EPOCHS.get(line), "the user's --epochs");
        assertEquals(4, InputOptions.ACT_BITS.get(line), "the user's --act-bits");
        assertEquals(java.util.List.of(128), TrainingOptions.HIDDEN.get(line), "the preset's --hidden");
        assertTrue(SynthOptions.SYNTH.get(line), "the preset's --synth");
        assertTrue(FoldingOptions.FIT.given(line), "the preset's --fit");
        CommandLine eq = flow("--preset=paper-mnist-mlp", "--hidden", "64");
        assertEquals(java.util.List.of(64), TrainingOptions.HIDDEN.get(eq), "--preset=NAME works the same");
        assertEquals(100, TrainingOptions.EPOCHS.get(eq), "the preset's --epochs");
    }

    @Test
    void withoutAPresetTheArgumentsStayAsTheyAre() throws ParseException {
        String[] args = {"--epochs", "2", "--out", "x"};
        assertEquals(java.util.List.of(args), java.util.List.of(FLOW.arguments(args)));
    }

    @Test
    void badPresetsAreOneLineEach() {
        ParseException unknown = assertThrows(ParseException.class, () -> flow("--preset", "hx1k"));
        assertEquals("--preset takes hx8k-mlp, hx8k-cnn, paper-mnist-mlp or paper-cifar10, got 'hx1k'", unknown.getMessage());
        ParseException twice = assertThrows(ParseException.class, () -> flow("--preset", "hx8k-mlp", "--preset", "hx8k-mlp"));
        assertEquals("--preset is given twice", twice.getMessage());
        ParseException missing = assertThrows(ParseException.class, () -> flow("--preset"));
        assertEquals("--preset takes NAME", missing.getMessage());
    }

    /** Through the command line as a user types it: exit 2 and nothing else for a bad preset; the list of presets. */
    @Test
    void theCommands() {
        assertEquals(2, Main.run(new String[] {"flow", "--preset", "nope"}));
        java.io.PrintStream saved = System.out;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(out, true));
        int code;
        try {
            code = Main.run(new String[] {"presets"});
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code);
        String text = out.toString();
        for (Presets.Preset p : Presets.ALL.values()) {
            assertTrue(text.contains(p.name() + ": "), text);
            assertTrue(text.contains("stands for: bcflow flow " + String.join(" ", p.options())), text);
        }
        assertFalse(text.isBlank());
    }
}
