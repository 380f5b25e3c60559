package dev.meridian.server;

import dev.meridian.raft.sim.InjectedBug;
import dev.meridian.raft.sim.RaftSimulation;
import dev.meridian.raft.sim.SimOptions;
import dev.meridian.raft.sim.SimResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code meridian sim}: deterministic simulations of Meridian's layers. */
@Command(name = "sim",
        description = {"Deterministic simulations: one seed drives the clock, network, disk and faults.", "",
                "Example:", "  meridian sim raft --seeds 100"},
        subcommands = {SimCommand.RaftSim.class, CommandLine.HelpCommand.class})
final class SimCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code meridian sim raft}: Raft groups under faults, checked on every event. */
    @Command(name = "raft",
            description = {
                    "Runs Raft groups of 3 to 7 nodes on one thread under a simulated",
                    "clock, network and disk. Each seed draws its own fault mix (delays,",
                    "drops, duplicates, partitions, clogged nodes, crashes that lose",
                    "unsynced writes, restarts, membership changes, leadership transfers,",
                    "compactions) and prints it. Checked on every event: one leader per",
                    "term, log matching, leader completeness, state machine safety, no",
                    "lost commit. After the faults heal, a majority must commit within",
                    "20 election timeouts plus catch-up time. A failure prints the exact",
                    "command that replays it.",
                    "",
                    "Exit code: 0 all seeds pass, 1 a property was violated, 2 usage error."},
            footer = {"", "Examples:",
                    "  meridian sim raft --seeds 100                   seeds 1..100",
                    "  meridian sim raft --seeds 50 --first-seed 1000  seeds 1000..1049",
                    "  meridian sim raft --seed 42                     seed 42 alone",
                    "  meridian sim raft --seed 42 --nodes 5           a group of 5",
                    "  meridian sim raft --seed 42 --steps 10000       a longer fault phase",
                    "  meridian sim raft --seed 42 --verbose           every event",
                    "  meridian sim raft --seeds 500 --inject-bug double-vote",
                    "      proves the checkers catch a broken Raft"})
    static final class RaftSim implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Option(names = "--seeds", paramLabel = "N", description = "Run N consecutive seeds (default 100 unless --seed).")
        Integer seeds;

        @Option(names = "--first-seed", paramLabel = "S", description = "The first of the --seeds (default 1).")
        Long firstSeed;

        @Option(names = "--seed", paramLabel = "S", description = "Run exactly this seed (to replay a failure).")
        Long seed;

        @Option(names = "--nodes", paramLabel = "N", description = "Initial group size, 3..7 (default: drawn from each seed).")
        int nodes;

        @Option(names = "--steps", paramLabel = "K", description = "Events in each seed's fault phase (default ${DEFAULT-VALUE}).")
        int steps = SimOptions.DEFAULT_STEPS;

        @Option(names = "--verbose", description = "Print every event of every seed.")
        boolean verbose;

        @Option(names = "--inject-bug", paramLabel = "NAME",
                description = "Run a deliberately broken Raft: double-vote or commit-old-term.")
        String bug = InjectedBug.NONE.cliName();

        @Override
        public Integer call() {
            SimOptions options = options();
            PrintWriter out = spec.commandLine().getOut();
            SimResult result = RaftSimulation.run(options, out);
            out.flush();
            return result.exitCode();
        }

        private SimOptions options() {
            if (seed != null && (seeds != null || firstSeed != null)) {
                throw usage("--seed runs one seed; it does not combine with --seeds or --first-seed");
            }
            try {
                InjectedBug injected = InjectedBug.fromCliName(bug);
                long first = seed != null ? seed : firstSeed == null ? 1 : firstSeed;
                int count = seed != null ? 1 : seeds == null ? 100 : seeds;
                return new SimOptions(first, count, nodes, steps, verbose, injected);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }

        private CommandLine.ParameterException usage(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }
}
