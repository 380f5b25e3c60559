package dev.meridian.server;

import dev.meridian.server.workload.WorkloadCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code meridian} command. Each subcommand is a class of its own; this one only wires them
 * together and maps failures to exit codes.
 */
@Command(
        name = "meridian",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = {
                "Meridian: a geo-distributed SQL database.",
                "",
                "Tables are split into ranges; every range is a Raft group; rows are",
                "MVCC versions in RocksDB stamped by hybrid logical clocks; transactions",
                "are SERIALIZABLE."
        },
        subcommands = {
                StartCommand.class,
                InitCommand.class,
                VersionCommand.class,
                DebugCommand.class,
                SimCommand.class,
                WorkloadCommand.class,
                CommandLine.HelpCommand.class
        },
        footer = {
                "",
                "Examples:",
                "  meridian start --store n1 --listen-addr 127.0.0.1:26257",
                "  meridian init --host 127.0.0.1:26257",
                "  meridian version",
                "  meridian debug mvcc-demo",
                "  meridian sim raft --seeds 100",
                "  meridian workload kv --host 127.0.0.1:26257 --duration 30s --read-percent 95",
                "  meridian help sim"
        })
public final class Meridian implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the process exit code (0 success, 1 failure, 2 usage). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Meridian());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + ex.getMessage());
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        // `meridian` alone prints the usage, like `git`.
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
