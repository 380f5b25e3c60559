package dev.meridian.server.workload;

import dev.meridian.cluster.kv.KvClient;
import dev.meridian.cluster.kv.KvClientConfig;

import dev.meridian.cluster.kv.KvOperations;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/** {@code meridian workload kv}: gets and puts over a key space, closed loop, with a latency report. */
@Command(name = "kv",
        sortOptions = false,
        description = {
                "Runs N closed-loop workers against the cluster's KV API, each with one",
                "operation in flight: a get with probability --read-percent, else a put of",
                "--value-bytes random bytes, on keys user/kv/<n> with n drawn from",
                "[0, --keys). After --ramp (not measured), prints every second one line per",
                "operation type (elapsed, ops/s, p50/p95/p99/max ms of that second,",
                "errors so far), then a summary with errors counted by kind.",
                "",
                "Exit code: 0 the run completed (errors are reported, not fatal), 1 no",
                "operation succeeded or the cluster could not be reached, 2 usage error."},
        footer = {"", "Examples:",
                "  meridian workload kv --host 127.0.0.1:26257",
                "  meridian workload kv --host n1:26257,n2:26257 --duration 2m --read-percent 95",
                "  meridian workload kv --host 127.0.0.1:26257 --concurrency 32 --ramp 10s",
                "  meridian workload kv --host 127.0.0.1:26257 --init --distribution zipf",
                "  meridian workload kv --host 127.0.0.1:26257 --seed 7 --json kv.json"})
final class KvWorkloadCommand implements Callable<Integer> {

    /** The production connector: the Java KV client, routing straight to leaseholders. */
    static final KvConnector CLIENT = hosts -> KvClient.connect(hosts, KvClientConfig.defaults());

    private final KvConnector connector;
    private final WorkloadClock clock;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--host", required = true, split = ",", paramLabel = "HOST:PORT",
            description = "Nodes to connect to, comma-separated.")
    List<String> hosts;

    @Option(names = "--concurrency", paramLabel = "N", description = "Workers (default ${DEFAULT-VALUE}).")
    int concurrency = 8;

    @Option(names = "--duration", paramLabel = "D", converter = DurationArg.class, defaultValue = "10s",
            description = "Measured run time, e.g. 30s, 2m, 1m30s (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--ramp", paramLabel = "D", converter = DurationArg.class, defaultValue = "0s",
            description = "Warm-up before the measured run, excluded from the statistics (default ${DEFAULT-VALUE}).")
    Duration ramp;

    @Option(names = "--read-percent", paramLabel = "P", description = "Percent of gets, 0..100 (default ${DEFAULT-VALUE}).")
    int readPercent = 50;

    @Option(names = "--keys", paramLabel = "K", description = "Key space size (default ${DEFAULT-VALUE}).")
    long keys = 100_000;

    @Option(names = "--value-bytes", paramLabel = "B", description = "Bytes per value written (default ${DEFAULT-VALUE}).")
    int valueBytes = 128;

    @Option(names = "--distribution", paramLabel = "NAME",
            description = "Key choice: uniform or zipf (default ${DEFAULT-VALUE}).")
    String distribution = "uniform";

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: drawn and printed).")
    Long seed;

    @Option(names = "--batch", paramLabel = "N",
            description = "Gets or puts per request; above 1 each operation is one batch (default ${DEFAULT-VALUE}).")
    int batch = 1;

    @Option(names = "--init", description = "Write every key once, with --concurrency workers, before the run.")
    boolean init;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    Path json;

    /** The command as {@code meridian} runs it: the real client and the system clock. */
    KvWorkloadCommand() {
        this(CLIENT, WorkloadClock.system());
    }

    KvWorkloadCommand(KvConnector connector, WorkloadClock clock) {
        this.connector = connector;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        KvWorkloadConfig config = config();
        List<String> hostPorts = hostPorts();
        if (json != null && json.toAbsolutePath().getParent() != null
                && !Files.isDirectory(json.toAbsolutePath().getParent())) {
            throw usage("--json: directory " + json.toAbsolutePath().getParent() + " does not exist");
        }
        PrintWriter out = spec.commandLine().getOut();
        KvOperations kv = connector.connect(hostPorts);
        KvSummary summary;
        try {
            summary = new KvWorkload(config, kv, out, clock).run();
        } finally {
            if (kv instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        if (json != null) {
            Files.writeString(json, SummaryJson.render(summary));
            out.println("summary written to " + json);
            out.flush();
        }
        if (summary.noOperationSucceeded()) {
            spec.commandLine().getErr().println("error: no operation succeeded in the measured period"
                    + " (errors by kind: " + summary.errorsByKind() + ")");
            return 1;
        }
        return 0;
    }

    private KvWorkloadConfig config() {
        try {
            KeyDistribution keyDistribution = KeyDistribution.fromCliName(distribution);
            long s = seed != null ? seed : new SplittableRandom().nextLong();
            return new KvWorkloadConfig(concurrency, duration, ramp, readPercent, keys, valueBytes, s, batch,
                    keyDistribution, init);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage().startsWith("--") ? e.getMessage() : "--distribution: " + e.getMessage());
        }
    }

    /** The --host list, each checked to be HOST:PORT with a port in 1..65535. */
    private List<String> hostPorts() {
        List<String> result = new ArrayList<>();
        for (String raw : hosts) {
            String hostPort = raw.strip();
            int colon = hostPort.lastIndexOf(':');
            int port = colon < 0 ? -1 : parsePort(hostPort.substring(colon + 1));
            if (colon <= 0 || port < 1 || port > 65_535) {
                throw usage("--host expects HOST:PORT[,HOST:PORT...] with a port in 1..65535, not '" + raw + "'");
            }
            result.add(hostPort);
        }
        return List.copyOf(result);
    }

    private static int parsePort(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
