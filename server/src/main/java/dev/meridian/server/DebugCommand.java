package dev.meridian.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code meridian debug}: tools for looking inside Meridian's layers. */
@Command(name = "debug",
        description = {"Tools for looking inside Meridian's layers.", "",
                "Example:", "  meridian debug mvcc-demo"},
        subcommands = {MvccDemoCommand.class, SplitCommand.class, CommandLine.HelpCommand.class})
final class DebugCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
