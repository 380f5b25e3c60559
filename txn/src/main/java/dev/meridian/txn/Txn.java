package dev.meridian.txn;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.kv.TxnProtos;
import dev.meridian.cluster.time.Timestamps;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.DeleteRequest;
import dev.meridian.proto.kv.EndTxnRequest;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.GetRequest;
import dev.meridian.proto.kv.GetResponse;
import dev.meridian.proto.kv.KeyValue;
import dev.meridian.proto.kv.PutRequest;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.ScanRequest;
import dev.meridian.proto.kv.Transaction;
import dev.meridian.proto.kv.TransactionStatus;
import dev.meridian.storage.mvcc.Timestamp;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One transaction: reads see one snapshot (plus the transaction's own writes), writes become
 * intents that others cannot see until commit, and commit makes all of them visible at one
 * timestamp, or none. SERIALIZABLE by default.
 *
 * <h2>The coordinator stack</h2>
 * Every batch passes down a stack of single-purpose interceptors to the DistSender. Top to
 * bottom, and why in this order:
 * <ol>
 *   <li>{@link MetricsInterceptor}: first, so that its timings include everything below (refreshes,
 *       resends);</li>
 *   <li>{@link HeartbeatInterceptor}: sees the first write before anything is sent, so the anchor
 *       (and with it the record's place) is fixed before any intent names it;</li>
 *   <li>{@link SeqNumInterceptor}: numbers requests once, above every layer that may resend a
 *       batch, so a resend carries the same numbers and replays idempotently;</li>
 *   <li>{@link PipelineInterceptor}: sends plain writes without waiting for consensus and proves
 *       them before a read of their keys and at commit; above the commit layer, because it hands
 *       it the writes in flight that make a commit parallel, and below the numbering, because it
 *       proves writes by their sequence numbers;</li>
 *   <li>{@link CommitInterceptor}: notes each written key before its write leaves (a write of
 *       unknown outcome must still be cleaned up), fills the EndTxn with them, and turns a commit
 *       with writes in flight into a parallel commit;</li>
 *   <li>{@link RefreshInterceptor}: directly above the transport, so that it can resend a failed
 *       batch and send its refreshes without new sequence numbers or lock spans;</li>
 *   <li>{@link TxnTransport}: the transaction header, the DistSender, and the translation of errors.</li>
 * </ol>
 *
 * <p>Not thread-safe: one thread uses a transaction at a time (its heartbeat runs on the
 * client's timer). Methods fail with {@link TxnException}: {@link TxnRetryException} (40001)
 * means run the work again ({@link TxnClient#run} does), {@link TxnAmbiguousException} (40003)
 * that the commit's outcome is unknown.
 */
public final class Txn implements AutoCloseable {

    private final TxnClient client;
    private final TxnState state;
    private final List<TxnInterceptor> stack;
    private final TxnInterceptor.Next top;
    private final long startNanos = System.nanoTime();
    private boolean finished;

    Txn(TxnClient client, TxnOptions options) {
        this.client = client;
        Timestamp now = client.clock().now();
        UUID id = UUID.randomUUID();
        Transaction t = Transaction.newBuilder()
                .setMeta(dev.meridian.proto.kv.TxnMeta.newBuilder().setId(TxnProtos.bytes(id)).setEpoch(0)
                        .setWriteTimestamp(Timestamps.toProto(now)).setMinTimestamp(Timestamps.toProto(now))
                        .setPriority(options.priority()).setIsolation(options.isolation()))
                .setName(options.name())
                .setStatus(TransactionStatus.PENDING)
                .setReadTimestamp(Timestamps.toProto(now))
                .setGlobalUncertaintyLimit(Timestamps.toProto(Timestamp.of(now.wallNanos() + client.clock().maxOffset().toNanos(), 0)))
                .build();
        this.state = new TxnState(t);
        TxnTransport transport = new TxnTransport(client.kv(), client.clock(), state, client.timeout());
        this.stack = List.of(
                new MetricsInterceptor(client.metrics()),
                new HeartbeatInterceptor(state, client.timer(), client.heartbeatInterval(), transport, client.metrics()),
                new SeqNumInterceptor(state),
                new PipelineInterceptor(state),
                new CommitInterceptor(state, client.timer()),
                new RefreshInterceptor(state, client.metrics()));
        TxnInterceptor.Next next = transport;
        for (int i = stack.size() - 1; i >= 0; i--) {
            TxnInterceptor layer = stack.get(i);
            TxnInterceptor.Next below = next;
            next = batch -> layer.send(batch, below);
        }
        this.top = next;
        client.metrics().begun.add(1);
    }

    public UUID id() {
        return TxnProtos.uuid(state.txn().getMeta().getId());
    }

    /** Incremented by every {@link #restart()}. */
    public int epoch() {
        return state.txn().getMeta().getEpoch();
    }

    /** Where the transaction reads now. */
    public Timestamp readTimestamp() {
        return state.readTs();
    }

    /** Where the transaction writes now (and commits, once committed). */
    public Timestamp writeTimestamp() {
        return state.writeTs();
    }

    /** The value of {@code key} as this transaction sees it. */
    public Optional<byte[]> get(byte[] key) {
        GetResponse g = send(RequestUnion.newBuilder().setGet(GetRequest.newBuilder().setKey(bytes(key)))).getResponses(0).getGet();
        return g.hasValue() ? Optional.of(g.getValue().toByteArray()) : Optional.empty();
    }

    /** The rows of {@code [start, end)} in key order, at most {@code maxKeys} (0: all). */
    public List<KeyValue> scan(byte[] start, byte[] end, long maxKeys) {
        return send(RequestUnion.newBuilder().setScan(ScanRequest.newBuilder().setStartKey(bytes(start)).setEndKey(bytes(end))
                .setMaxKeys(maxKeys))).getResponses(0).getScan().getRowsList();
    }

    public void put(byte[] key, byte[] value) {
        send(RequestUnion.newBuilder().setPut(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value))));
    }

    public void delete(byte[] key) {
        send(RequestUnion.newBuilder().setDelete(DeleteRequest.newBuilder().setKey(bytes(key))));
    }

    /** A point to roll back to: the writes after it can be taken back without ending the transaction. */
    public Savepoint savepoint() {
        return new Savepoint(epoch(), state.seq());
    }

    /** Takes back every write since {@code sp}; they stay invisible, to this transaction too, and never commit. */
    public void rollbackTo(Savepoint sp) {
        checkOpen();
        if (sp.epoch() != epoch()) {
            throw new TxnException(ErrorKind.INVALID_ARGUMENT, "savepoint of epoch " + sp.epoch()
                    + " is gone: the transaction restarted", null);
        }
        state.ignoreAfter(sp.seq());
    }

    /** A savepoint: the epoch it belongs to and the last sequence number before it. */
    public record Savepoint(int epoch, int seq) {
    }

    /**
     * Commits: every write becomes visible at the commit timestamp, or none does.
     *
     * @throws TxnRetryException     the transaction could not commit and must run again
     * @throws TxnAmbiguousException the outcome is unknown
     */
    public void commit() {
        checkOpen();
        try {
            send(RequestUnion.newBuilder().setEndTxn(EndTxnRequest.newBuilder().setCommit(true)
                    .setKey(ByteString.copyFrom(state.anchor()))));
            state.setStatus(TransactionStatus.COMMITTED);
            client.commitWait(state.writeTs());
            finish("committed");
        } catch (TxnAmbiguousException e) {
            finish("ambiguous");
            throw e;
        }
    }

    /** Aborts: nothing the transaction wrote becomes visible. Best effort; never throws for a failed cleanup. */
    public void rollback() {
        if (finished) {
            return;
        }
        try {
            if (state.hasAnchor()) {
                send(RequestUnion.newBuilder().setEndTxn(EndTxnRequest.newBuilder().setCommit(false)
                        .setKey(ByteString.copyFrom(state.anchor()))));
            }
        } catch (TxnException e) {
            // The record stays PENDING until it expires; whoever meets an intent then aborts it.
        } finally {
            state.setStatus(TransactionStatus.ABORTED);
            finish("rolled back");
        }
    }

    /**
     * Starts a new epoch after a {@link TxnRetryException} that does not need a new transaction:
     * the work must run again from its start. Writes of the old epoch never commit.
     */
    public void restart() {
        checkOpen();
        state.restart(client.clock().now());
        for (TxnInterceptor t : stack) {
            t.epochBumped();
        }
        client.metrics().restarts.add(1);
    }

    /** Rolls back unless committed. */
    @Override
    public void close() {
        rollback();
    }

    boolean finished() {
        return finished;
    }

    private void finish(String outcome) {
        if (!finished) {
            finished = true;
            for (TxnInterceptor t : stack) {
                t.closed();
            }
            client.metrics().ended(outcome, System.nanoTime() - startNanos);
        }
    }

    private BatchResponse send(RequestUnion.Builder r) {
        checkOpen();
        try {
            return top.send(BatchRequest.newBuilder().addRequests(r).build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TxnException(ErrorKind.UNAVAILABLE, "interrupted", e);
        }
    }

    private void checkOpen() {
        if (finished) {
            throw new TxnException(ErrorKind.INVALID_ARGUMENT, "transaction " + id() + " has already ended", null);
        }
    }

    private static ByteString bytes(byte[] b) {
        if (b == null) {
            throw new TxnException(ErrorKind.INVALID_ARGUMENT, "null key or value", null);
        }
        return ByteString.copyFrom(b);
    }
}
