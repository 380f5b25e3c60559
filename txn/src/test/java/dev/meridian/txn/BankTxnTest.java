package dev.meridian.txn;

import dev.meridian.cluster.node.TestCluster;
import dev.meridian.testkit.history.HistoryRecorder;
import dev.meridian.testkit.history.Payload;
import dev.meridian.testkit.history.bank.BankChecker;
import dev.meridian.testkit.history.bank.BankResult;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bank workload of TESTING.md on three nodes: accounts on two ranges, concurrent transfers
 * through every gateway, and concurrent reads of all accounts; the bank checker must find every
 * read consistent (every account, no negative balance, the starting total).
 */
class BankTxnTest {

    private static final int ACCOUNTS = 8;
    private static final long START = 100;

    @TempDir
    Path dir;

    @Test
    void transfersAcrossRangesKeepTheTotalInEveryRead() throws Exception {
        run(false);
    }

    /** As above, with a node stopped abruptly in the middle of the run and started again. */
    @Test
    void aNodeStoppedAndRestartedMidRunLosesAndDuplicatesNoTransfer() throws Exception {
        run(true);
    }

    private void run(boolean fault) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            cluster.split(key(ACCOUNTS / 2));
            TxnClient[] clients = new TxnClient[3];
            for (int i = 0; i < 3; i++) {
                // A short batch timeout: the stopped node's client gives up soon instead of after 30 s.
                clients[i] = new TxnClient(cluster.kv(i), cluster.clock(i),
                        new TxnClient.Config(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(4), false),
                        OpenTelemetry.noop());
            }
            try {
                clients[0].run(TxnOptions.defaults(), t -> {
                    for (int a = 0; a < ACCOUNTS; a++) {
                        t.put(key(a), encode(START));
                    }
                    return null;
                });
                HistoryRecorder history = new HistoryRecorder(System::nanoTime);
                AtomicBoolean stop = new AtomicBoolean();
                List<CompletableFuture<Void>> workers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    TxnClient c = clients[w % 3];
                    long seed = w;
                    workers.add(CompletableFuture.runAsync(() -> transfers(c, history, stop, new SplittableRandom(seed))));
                }
                for (int r = 0; r < 2; r++) {
                    TxnClient c = clients[(r + 1) % 3];
                    workers.add(CompletableFuture.runAsync(() -> reads(c, history, stop)));
                }
                if (fault) {
                    Thread.sleep(1500);
                    cluster.stop(2);
                    Thread.sleep(1500);
                    cluster.restart(2);
                    Thread.sleep(2000);
                } else {
                    Thread.sleep(4000);
                }
                stop.set(true);
                CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                reads(clients[0], history, new AtomicBoolean(true)); // one final read
                SortedSet<String> names = new TreeSet<>();
                for (int a = 0; a < ACCOUNTS; a++) {
                    names.add(name(a));
                }
                BankResult result = BankChecker.check(history.history(), names, ACCOUNTS * START);
                assertThat(result.valid()).as(result.report()).isTrue();
                assertThat(result.okReads()).isGreaterThan(2);
                long transfersOk = history.history().operations().stream()
                        .filter(op -> op.outcome() == dev.meridian.testkit.history.OpType.OK
                                && op.payload() instanceof Payload.Transfer).count();
                assertThat(transfersOk).as("transfers that committed").isGreaterThan(10);
            } finally {
                for (TxnClient c : clients) {
                    c.close();
                }
            }
        }
    }

    private static void transfers(TxnClient c, HistoryRecorder history, AtomicBoolean stop, SplittableRandom random) {
        int process = history.newProcess();
        while (!stop.get()) {
            int from = random.nextInt(ACCOUNTS);
            int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            long amount = 1 + random.nextInt(20);
            Payload.Transfer p = new Payload.Transfer(name(from), name(to), amount);
            history.invoke(process, p);
            try {
                boolean done = c.run(TxnOptions.defaults(), t -> {
                    long a = decode(t.get(key(from)).orElseThrow());
                    long b = decode(t.get(key(to)).orElseThrow());
                    if (a < amount) {
                        return false;
                    }
                    t.put(key(from), encode(a - amount));
                    t.put(key(to), encode(b + amount));
                    return true;
                });
                if (done) {
                    history.ok(process, p);
                } else {
                    history.fail(process, p);
                }
            } catch (TxnAmbiguousException e) {
                history.info(process, p);
                process = history.newProcess();
            } catch (TxnException e) {
                history.fail(process, p);
            }
        }
    }

    private static void reads(TxnClient c, HistoryRecorder history, AtomicBoolean stop) {
        int process = history.newProcess();
        do {
            history.invoke(process, Payload.ReadAll.pending());
            try {
                SortedMap<String, Long> balances = c.run(TxnOptions.defaults(), t -> {
                    SortedMap<String, Long> m = new TreeMap<>();
                    for (var kv : t.scan(key(0), key(ACCOUNTS), 0)) {
                        String k = new String(kv.getKey().toByteArray(), StandardCharsets.UTF_8);
                        m.put(k.substring("bank/".length()), decode(kv.getValue().toByteArray()));
                    }
                    return m;
                });
                history.ok(process, new Payload.ReadAll(balances));
            } catch (TxnException e) {
                history.fail(process, Payload.ReadAll.pending());
            }
        } while (!stop.get());
    }

    private static String name(int a) {
        return "a" + a;
    }

    private static byte[] key(int a) {
        return ("bank/a" + a).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] encode(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static long decode(byte[] b) {
        return ByteBuffer.wrap(b).getLong();
    }
}
