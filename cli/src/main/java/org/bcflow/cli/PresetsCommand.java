package org.bcflow.cli;

import java.util.List;
import org.apache.commons.cli.CommandLine;

/** {@code bcflow presets}: the configurations {@code flow --preset} knows, with the figures each was measured to give. */
final class PresetsCommand implements Command {
    @Override
    public String name() {
        return "presets";
    }

    @Override
    public String summary() {
        return "list the configurations of flow --preset NAME, with the figures each was measured to give";
    }

    @Override
    public List<Opt<?>> options() {
        return List.of();
    }

    @Override
    public int run(CommandLine line) {
        for (Presets.Preset p : Presets.ALL.values()) {
            System.out.println(p.name() + ": " + p.summary());
            System.out.println("  gives:      " + p.expected());
            System.out.println("  stands for: " + Presets.commandLine(p));
            System.out.println();
        }
        System.out.println("Options given beside --preset override the preset's: bcflow flow --preset hx8k-mlp --epochs 20");
        return 0;
    }
}
