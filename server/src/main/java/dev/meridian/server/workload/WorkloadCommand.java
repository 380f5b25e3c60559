package dev.meridian.server.workload;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meridian workload}: load generators that drive a running cluster and report latency. */
@Command(name = "workload",
        description = {"Load generators: drive a running cluster and report throughput and latency.", "",
                "Example:", "  meridian workload kv --host 127.0.0.1:26257 --duration 30s"},
        subcommands = {KvWorkloadCommand.class, CommandLine.HelpCommand.class})
public final class WorkloadCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** Prints the usage: {@code meridian workload} alone names the workloads. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
