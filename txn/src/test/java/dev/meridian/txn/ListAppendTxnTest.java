package dev.meridian.txn;

import dev.meridian.cluster.node.TestCluster;
import dev.meridian.testkit.history.HistoryRecorder;
import dev.meridian.testkit.history.MicroOp;
import dev.meridian.testkit.history.OpType;
import dev.meridian.testkit.history.Payload;
import dev.meridian.testkit.history.append.ConsistencyModel;
import dev.meridian.testkit.history.append.ListAppendChecker;
import dev.meridian.testkit.history.append.ListAppendResult;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The list-append workload of TESTING.md on three nodes: transactions of one to four appends
 * and reads over ten keys on three ranges, from four clients through every gateway. The
 * Elle-style checker must find none of G0, G1a, G1b, G1c, G-single, G2 (SERIALIZABLE), and, with
 * commit-wait on, none of their realtime variants either (strict serializability).
 */
class ListAppendTxnTest {

    private static final int KEYS = 10;

    @TempDir
    Path dir;

    @Test
    void serializableHistoriesShowNoAnomaly() throws Exception {
        check(false, 40);
    }

    @Test
    void withCommitWaitHistoriesAreStrictlySerializable() throws Exception {
        check(true, 20);
    }

    private void check(boolean linearizable, int perWorker) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            cluster.split(key(3));
            cluster.split(key(7));
            TxnClient[] clients = new TxnClient[3];
            for (int i = 0; i < 3; i++) {
                clients[i] = new TxnClient(cluster.kv(i), cluster.clock(i),
                        TxnClient.Config.defaults().withLinearizable(linearizable), OpenTelemetry.noop());
            }
            try {
                HistoryRecorder history = new HistoryRecorder(System::nanoTime);
                AtomicLong values = new AtomicLong();
                List<CompletableFuture<Void>> workers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    TxnClient c = clients[w % 3];
                    SplittableRandom random = new SplittableRandom(w * 7919L + (linearizable ? 1 : 0));
                    workers.add(CompletableFuture.runAsync(() -> work(c, history, values, random, perWorker)));
                }
                CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
                ConsistencyModel model = linearizable ? ConsistencyModel.STRICT_SERIALIZABLE : ConsistencyModel.SERIALIZABLE;
                ListAppendResult result = ListAppendChecker.check(history.history(), model);
                assertThat(result.valid()).as(result.report()).isTrue();
                long ok = history.history().operations().stream().filter(op -> op.outcome() == OpType.OK).count();
                assertThat(ok).as("committed transactions").isGreaterThan(perWorker * 2L);
            } finally {
                for (TxnClient c : clients) {
                    c.close();
                }
            }
        }
    }

    private static void work(TxnClient c, HistoryRecorder history, AtomicLong values, SplittableRandom random, int count) {
        int process = history.newProcess();
        for (int n = 0; n < count; n++) {
            List<MicroOp> ops = new ArrayList<>();
            int size = 1 + random.nextInt(4);
            for (int i = 0; i < size; i++) {
                String k = "x" + random.nextInt(KEYS);
                ops.add(random.nextBoolean() ? new MicroOp.Append(k, values.incrementAndGet()) : MicroOp.Read.of(k));
            }
            history.invoke(process, new Payload.Txn(ops));
            try {
                List<MicroOp> done = c.run(TxnOptions.defaults(), t -> {
                    List<MicroOp> out = new ArrayList<>();
                    for (MicroOp op : ops) {
                        byte[] k = key(Integer.parseInt(op.key().substring(1)));
                        List<Long> list = decode(t.get(k).orElse(new byte[0]));
                        if (op instanceof MicroOp.Append a) {
                            list.add(a.value());
                            t.put(k, encode(list));
                            out.add(a);
                        } else {
                            out.add(new MicroOp.Read(op.key(), list));
                        }
                    }
                    return out;
                });
                history.ok(process, new Payload.Txn(done));
            } catch (TxnAmbiguousException e) {
                history.info(process, new Payload.Txn(ops));
                process = history.newProcess();
            } catch (TxnException e) {
                history.fail(process, new Payload.Txn(ops));
            }
        }
    }

    private static byte[] key(int i) {
        return ("app/x" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] encode(List<Long> list) {
        ByteBuffer b = ByteBuffer.allocate(8 * list.size());
        list.forEach(b::putLong);
        return b.array();
    }

    private static List<Long> decode(byte[] bytes) {
        List<Long> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.remaining() >= 8) {
            out.add(b.getLong());
        }
        return out;
    }
}
