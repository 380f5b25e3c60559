package dev.meridian.txn;

import dev.meridian.cluster.node.TestCluster;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.RetryReason;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Transactions on a real three-node cluster (gRPC on loopback), with the key space split so that
 * transactions cross ranges: atomic commit and rollback, isolation from uncommitted writes,
 * write-write conflicts, deadlocks, abandoned transactions, and refreshes.
 */
class TxnClusterTest {

    @TempDir
    static Path dir;
    static TestCluster cluster;
    static TxnClient[] clients;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(dir, 3);
        for (String k : List.of("t1/m", "t2/m", "t3/m", "t4/m", "t5/m", "t6/m", "t7/m")) {
            cluster.split(b(k));
        }
        clients = new TxnClient[3];
        for (int i = 0; i < 3; i++) {
            clients[i] = new TxnClient(cluster.kv(i), cluster.clock(i), TxnClient.Config.defaults(), OpenTelemetry.noop());
        }
    }

    @AfterAll
    static void stop() {
        for (TxnClient c : clients) {
            c.close();
        }
        cluster.close();
    }

    @Test
    void commitMakesWritesOnTwoRangesVisibleTogetherAndRollbackLeavesNothing() throws Exception {
        Txn t = clients[0].begin(TxnOptions.defaults());
        t.put(b("t1/a"), b("A"));
        t.put(b("t1/z"), b("Z"));
        assertThat(t.get(b("t1/a")).map(TxnClusterTest::s)).contains("A"); // its own write
        t.commit();
        assertThat(get(2, "t1/a")).contains("A");
        assertThat(get(1, "t1/z")).contains("Z");

        Txn r = clients[1].begin(TxnOptions.defaults());
        r.put(b("t1/a"), b("A2"));
        r.delete(b("t1/z"));
        r.rollback();
        assertThat(get(0, "t1/a")).contains("A");
        assertThat(get(2, "t1/z")).contains("Z");
        assertThatThrownBy(() -> r.put(b("t1/a"), b("late"))).isInstanceOf(TxnException.class)
                .hasMessageContaining("already ended");
    }

    @Test
    void savepointsTakeBackWritesWithoutEndingTheTransaction() throws Exception {
        Txn t = clients[1].begin(TxnOptions.defaults());
        t.put(b("t2/a"), b("kept"));
        Txn.Savepoint sp = t.savepoint();
        t.put(b("t2/a"), b("undone"));
        t.put(b("t2/z"), b("undone too"));
        assertThat(t.get(b("t2/a")).map(TxnClusterTest::s)).contains("undone");
        t.rollbackTo(sp);
        assertThat(t.get(b("t2/a")).map(TxnClusterTest::s)).contains("kept");
        assertThat(t.get(b("t2/z"))).isEmpty();
        t.commit();
        assertThat(get(0, "t2/a")).contains("kept");
        assertThat(get(0, "t2/z")).isEmpty();
    }

    @Test
    void aReaderWaitsForTheWriterAndSeesItsCommit() throws Exception {
        clients[0].run(TxnOptions.defaults(), t -> {
            t.put(b("t3/k"), b("old"));
            return null;
        });
        Txn w = clients[0].begin(TxnOptions.defaults());
        w.put(b("t3/k"), b("new"));
        CompletableFuture<Optional<byte[]>> plain = cluster.kv(1).get(b("t3/k"));
        CompletableFuture<String> txnRead = CompletableFuture.supplyAsync(() -> clients[2].run(TxnOptions.defaults(),
                t -> t.get(b("t3/k")).map(TxnClusterTest::s).orElse("absent")));
        Thread.sleep(300);
        // Neither may read past the intent: the writer has not decided.
        assertThat(plain).isNotDone();
        assertThat(txnRead).isNotDone();
        w.commit();
        assertThat(plain.get(10, TimeUnit.SECONDS).map(TxnClusterTest::s)).contains("new");
        assertThat(txnRead.get(10, TimeUnit.SECONDS)).isEqualTo("new");
    }

    @Test
    void concurrentReadModifyWritesLoseNoUpdate() throws Exception {
        int threads = 4;
        int each = 15;
        List<CompletableFuture<Void>> work = new ArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        for (int i = 0; i < threads; i++) {
            TxnClient c = clients[i % 3];
            work.add(CompletableFuture.runAsync(() -> {
                for (int j = 0; j < each; j++) {
                    c.run(TxnOptions.defaults(), t -> {
                        attempts.incrementAndGet();
                        long v = t.get(b("t4/counter")).map(TxnClusterTest::decode).orElse(0L);
                        t.put(b("t4/counter"), encode(v + 1));
                        t.put(b("t4/z-last"), encode(v + 1)); // a second range in every transaction
                        return null;
                    });
                }
            }));
        }
        CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        assertThat(cluster.kv(1).get(b("t4/counter")).get(10, TimeUnit.SECONDS).map(TxnClusterTest::decode))
                .contains((long) threads * each);
        assertThat(cluster.kv(2).get(b("t4/z-last")).get(10, TimeUnit.SECONDS).map(TxnClusterTest::decode))
                .contains((long) threads * each);
        assertThat(attempts.get()).isGreaterThanOrEqualTo(threads * each);
    }

    @Test
    void aDeadlockAcrossRangesAbortsOneMemberAndBothFinish() throws Exception {
        CountDownLatch bothLocked = new CountDownLatch(2);
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Void> one = CompletableFuture.runAsync(() -> clients[0].run(TxnOptions.defaults(), t -> {
            t.put(b("t5/a"), b("one"));
            if (runs.incrementAndGet() <= 2) {
                arrive(bothLocked);
            }
            t.put(b("t5/z"), b("one"));
            return null;
        }));
        CompletableFuture<Void> two = CompletableFuture.runAsync(() -> clients[1].run(TxnOptions.defaults(), t -> {
            t.put(b("t5/z"), b("two"));
            if (runs.incrementAndGet() <= 2) {
                arrive(bothLocked);
            }
            t.put(b("t5/a"), b("two"));
            return null;
        }));
        CompletableFuture.allOf(one, two).get(60, TimeUnit.SECONDS);
        // Both committed, one after the other: the keys agree on who was last.
        assertThat(get(2, "t5/a")).isEqualTo(get(2, "t5/z"));
        assertThat(runs.get()).as("one of them ran again after being aborted").isGreaterThan(2);
    }

    @Test
    void anAbandonedTransactionIsAbortedOnceItsRecordExpires() throws Exception {
        TxnClient doomed = new TxnClient(cluster.kv(2), cluster.clock(2), TxnClient.Config.defaults(), OpenTelemetry.noop());
        Txn t = doomed.begin(TxnOptions.defaults());
        t.put(b("t6/k"), b("abandoned"));
        doomed.close(); // its heartbeats stop; the coordinator is gone as far as anyone can tell
        String seen = clients[0].run(TxnOptions.defaults(), x -> {
            String before = x.get(b("t6/k")).map(TxnClusterTest::s).orElse("absent");
            x.put(b("t6/k"), b("taken over"));
            return before;
        });
        assertThat(seen).isEqualTo("absent");
        assertThat(get(1, "t6/k")).contains("taken over");
        assertThatThrownBy(t::commit).isInstanceOfSatisfying(TxnRetryException.class,
                e -> assertThat(e.needsNewTransaction()).isTrue());
    }

    @Test
    void aTransactionPushedAboveAReadRefreshesAndCommitsWhenNothingChanged() throws Exception {
        Txn t = clients[0].begin(TxnOptions.defaults());
        assertThat(t.get(b("t7/a"))).isEmpty();
        // A later read of t7/z: t's write there must land above it.
        assertThat(get(1, "t7/z")).isEmpty();
        t.put(b("t7/z"), b("after the read"));
        assertThat(t.readTimestamp()).isLessThan(t.writeTimestamp());
        t.commit();
        assertThat(t.readTimestamp()).isEqualTo(t.writeTimestamp());
        assertThat(get(2, "t7/z")).contains("after the read");
    }

    @Test
    void aRefreshThatFindsAWriteForcesARestart() throws Exception {
        Txn t = clients[0].begin(TxnOptions.defaults());
        assertThat(t.get(b("t7/r1"))).isEmpty();
        cluster.kv(1).put(b("t7/r1"), b("changed")).get(10, TimeUnit.SECONDS); // after t's read
        assertThat(get(1, "t7/r2")).isEmpty();
        t.put(b("t7/r2"), b("x")); // pushed above the read of r2: the commit must refresh r1, and cannot
        assertThatThrownBy(t::commit).isInstanceOfSatisfying(TxnRetryException.class, e -> {
            assertThat(e.needsNewTransaction()).isFalse();
            assertThat(e.reason()).isEqualTo(RetryReason.RETRY_SERIALIZABLE);
            assertThat(e.sqlState()).isEqualTo("40001");
        });
        t.restart();
        assertThat(t.get(b("t7/r1")).map(TxnClusterTest::s)).contains("changed");
        t.put(b("t7/r2"), b("y"));
        t.commit();
        assertThat(get(0, "t7/r2")).contains("y");
    }

    @Test
    void intentsOfALaterEpochOfAnAbortedTransactionAreRemovedByTheirReaders() throws Exception {
        // t1's heartbeat is far off: it does not learn of its abort before it writes again.
        try (TxnClient slow = new TxnClient(cluster.kv(0), cluster.clock(0),
                new TxnClient.Config(java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(30), false),
                OpenTelemetry.noop())) {
            Txn t1 = slow.begin(TxnOptions.defaults());
            t1.put(b("t8/k"), b("one"));
            // A stronger writer aborts t1 to take the key.
            clients[1].run(TxnOptions.defaults().withPriority(TxnOptions.HIGH), t -> {
                t.put(b("t8/k"), b("two"));
                return null;
            });
            t1.restart();
            t1.put(b("t8/j"), b("orphan")); // an intent of epoch 1; the record says ABORTED in epoch 0
            assertThat(get(2, "t8/j")).isEmpty();
            assertThat(get(2, "t8/k")).contains("two");
            assertThatThrownBy(t1::commit).isInstanceOfSatisfying(TxnRetryException.class,
                    e -> assertThat(e.needsNewTransaction()).isTrue());
        }
    }

    @Test
    void badInputIsRefusedClearly() {
        Txn t = clients[0].begin(TxnOptions.defaults());
        assertThatThrownBy(() -> t.put(new byte[0], b("v"))).isInstanceOfSatisfying(TxnException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThatThrownBy(() -> t.put(null, b("v"))).isInstanceOf(TxnException.class);
        t.rollback();
    }

    // ---- helpers ----

    private static void arrive(CountDownLatch latch) {
        latch.countDown();
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Optional<String> get(int node, String key) throws Exception {
        return cluster.kv(node).get(b(key)).get(10, TimeUnit.SECONDS).map(TxnClusterTest::s);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] encode(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static long decode(byte[] b) {
        return ByteBuffer.wrap(b).getLong();
    }
}
