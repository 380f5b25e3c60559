package dev.meridian.server.workload;

import dev.meridian.cluster.kv.KvException;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.server.Meridian;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code meridian workload kv} through the whole {@code meridian} command line, with the client
 * seam answered by an in-memory KvOperations on a {@link StepClock}.
 */
class KvWorkloadCommandTest {

    private final StepClock clock = new StepClock(Duration.ofNanos(250_000));
    private final MemoryKv kv = new MemoryKv(clock);
    private final List<List<String>> connections = new ArrayList<>();

    record Run(int exitCode, String out, String err) {
    }

    /** Runs {@code meridian args...} with {@code connector} behind `workload kv`. */
    private Run run(KvConnector connector, String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == KvWorkloadCommand.class ? cls.cast(new KvWorkloadCommand(connector, clock))
                        : CommandLine.defaultFactory().create(cls);
            }
        };
        CommandLine cl = new CommandLine(new Meridian(), factory);
        // As Meridian.commandLine() does: a failure is one line and exit code 1.
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + ex.getMessage());
            return 1;
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Run run(String... args) {
        return run(hosts -> {
            connections.add(hosts);
            return kv;
        }, args);
    }

    private static String[] kvArgs(String... extra) {
        List<String> args = new ArrayList<>(List.of("workload", "kv", "--host", "127.0.0.1:26257"));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void helpNamesTheWorkloadAndItsOptions() {
        assertThat(run("--help").out()).contains("workload", "meridian workload kv --host");
        Run group = run("workload");
        assertThat(group.exitCode()).isZero();
        assertThat(group.out()).contains("Usage: meridian workload", "kv ");
        Run help = run("workload", "kv", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--read-percent=P", "--duration=D", "--distribution=NAME", "--json=FILE",
                "(default 50)", "(default 8)", "Exit code:");
        assertThat(help.out().lines()).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
    }

    @Test
    void aRunWritesTheReportAndTheJsonSummary(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("kv.json");
        Run r = run(kvArgs("--host", "127.0.0.2:26257,127.0.0.3:26257", "--concurrency", "3", "--duration", "2s",
                "--keys", "200", "--value-bytes", "10", "--seed", "7", "--init", "--json", json.toString()));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(connections).containsExactly(List.of("127.0.0.1:26257", "127.0.0.2:26257", "127.0.0.3:26257"));
        assertThat(kv.closed).isTrue();
        assertThat(kv.data).hasSize(200);
        assertThat(r.out()).contains("seed 7", "init: wrote 200 of 200 keys", "_summary: 2.0s measured, 3 workers",
                "summary written to " + json);

        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Files.readString(json));
        assertThat(root).containsEntry("workload", "kv").containsEntry("measuredSeconds", 2.0);
        assertThat(get(root, "config", "seed")).isEqualTo(7.0);
        assertThat(get(root, "config", "readPercent")).isEqualTo(50.0);
        assertThat(get(root, "init", "written")).isEqualTo(200.0);
        double reads = (double) get(root, "operations", "read", "count");
        double writes = (double) get(root, "operations", "write", "count");
        assertThat(reads).isPositive();
        assertThat(writes).isPositive();
        assertThat(get(root, "operations", "total", "count")).isEqualTo(reads + writes);
        // The JSON says what the printed summary says.
        Matcher total = Pattern.compile("(?m)^total +(\\d+) ").matcher(r.out());
        assertThat(total.find()).isTrue();
        assertThat(Double.parseDouble(total.group(1))).isEqualTo(reads + writes);
        // Init wrote 200 keys, the run the rest: every put the client saw is accounted for.
        assertThat(kv.puts.get()).isEqualTo(200 + (long) writes);
        assertThat(get(root, "errorsByKind")).isEqualTo(Map.of());
    }

    @Test
    void errorsAreReportedNotFatalUnlessNothingSucceeded(@TempDir Path dir) throws Exception {
        kv.failPuts(n -> KvException.of(ErrorKind.AMBIGUOUS_RESULT, "lost leadership"));
        Path json = dir.resolve("errors.json");
        Run partial = run(kvArgs("--duration", "1s", "--json", json.toString()));
        assertThat(partial.exitCode()).as(partial.err()).isZero();
        assertThat(partial.out()).containsPattern("AMBIGUOUS_RESULT +\\d+");
        assertThat(get(MiniJson.parse(Files.readString(json)), "errorsByKind", "AMBIGUOUS_RESULT"))
                .isEqualTo((double) kv.puts.get());

        Run none = run(kvArgs("--duration", "1s", "--read-percent", "0"));
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("no operation succeeded").contains("AMBIGUOUS_RESULT");
        assertThat(none.out()).contains("_summary");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--read-percent|101|--read-percent must be between 0 and 100 (was 101)",
            "--read-percent|-1|--read-percent must be between 0 and 100 (was -1)",
            "--concurrency|0|--concurrency must be at least 1 (was 0)",
            "--keys|0|--keys must be at least 1 (was 0)",
            "--value-bytes|-5|--value-bytes must be at least 1 (was -5)",
            "--batch|0|--batch must be at least 1 (was 0)",
            "--duration|10x|'10x' is not a duration; write a number with a unit (ms, s, m, h)",
            "--duration|0s|--duration must be positive (was 0s)",
            "--ramp|soon|'soon' is not a duration",
            "--distribution|pareto|--distribution: unknown distribution 'pareto'; expected one of uniform, zipf",
            "--host|localhost|--host expects HOST:PORT[,HOST:PORT...] with a port in 1..65535, not 'localhost'",
            "--host|a:1,:2|not ':2'",
            "--host|a:99999|not 'a:99999'",
            "--concurrency|many|Invalid value for option '--concurrency': 'many' is not an int",
    })
    void badOptionsAreUsageErrorsThatChangeNothing(String option, String value, String message) {
        Run r = run(kvArgs(option, value));
        assertThat(r.exitCode()).as(r.out()).isEqualTo(2);
        assertThat(r.err()).contains(message).contains("Usage: meridian workload kv");
        assertThat(connections).isEmpty();
        assertThat(kv.gets.get() + kv.puts.get()).isZero();
    }

    @Test
    void aMissingHostOrJsonDirectoryIsAUsageError(@TempDir Path dir) {
        Run noHost = run("workload", "kv");
        assertThat(noHost.exitCode()).isEqualTo(2);
        assertThat(noHost.err()).contains("Missing required option: '--host=HOST:PORT'");
        Run noDir = run(kvArgs("--json", dir.resolve("absent").resolve("kv.json").toString()));
        assertThat(noDir.exitCode()).isEqualTo(2);
        assertThat(noDir.err()).contains("--json: directory").contains("does not exist");
        assertThat(connections).isEmpty();
    }

    private static Object get(Object json, String... path) {
        Object at = json;
        for (String name : path) {
            assertThat(at).as(String.join(".", path)).isInstanceOf(Map.class);
            at = ((Map<?, ?>) at).get(name);
        }
        return at;
    }
}
