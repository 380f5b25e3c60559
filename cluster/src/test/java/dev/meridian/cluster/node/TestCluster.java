package dev.meridian.cluster.node;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.kv.KvOperations;
import dev.meridian.cluster.time.HybridClock;
import dev.meridian.proto.kv.AdminSplitRequest;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.RequestUnion;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An in-process cluster of real nodes on 127.0.0.1 for the tests of the modules above
 * ({@code txn}, later {@code sql}): {@link LocalCluster} with the few operations they need.
 */
public final class TestCluster implements AutoCloseable {

    private final LocalCluster cluster;

    private TestCluster(LocalCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts {@code n} nodes with test timings (stores under {@code dir}) and waits until range 1 has every voter. */
    public static TestCluster start(Path dir, int n) throws IOException {
        LocalCluster c = new LocalCluster(dir, x -> x).start(n);
        c.awaitVoters(0, 1, Math.min(n, 3));
        return new TestCluster(c);
    }

    public int size() {
        return cluster.size();
    }

    /** Node {@code i}'s KV API (its DistSender). */
    public KvOperations kv(int i) {
        return cluster.kv(i);
    }

    /** Node {@code i}'s clock. */
    public HybridClock clock(int i) {
        return cluster.node(i).clock();
    }

    /** Splits the range holding {@code key} at it. */
    public void split(byte[] key) throws Exception {
        var resp = kv(0).batch(BatchRequest.newBuilder().addRequests(RequestUnion.newBuilder()
                .setAdminSplit(AdminSplitRequest.newBuilder().setSplitKey(ByteString.copyFrom(key)))).build())
                .get(30, TimeUnit.SECONDS);
        if (resp.hasError()) {
            throw new AssertionError("split at " + new String(key) + ": " + resp.getError().getMessage());
        }
    }

    /** Stops node {@code i} abruptly. */
    public void stop(int i) {
        cluster.stop(i);
    }

    /** Starts node {@code i} again on its store. */
    public void restart(int i) throws IOException {
        cluster.restart(i);
    }

    /** Waits for {@code condition}, failing with {@code what} after {@code timeout}. */
    public static void await(Duration timeout, java.util.function.BooleanSupplier condition, String what) {
        LocalCluster.await(timeout, condition, what);
    }

    /** Every node's view of its ranges, for failure messages. */
    public String describe() {
        return cluster.describe();
    }

    @Override
    public void close() {
        cluster.close();
    }
}
