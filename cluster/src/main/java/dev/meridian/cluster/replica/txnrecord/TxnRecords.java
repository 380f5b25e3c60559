package dev.meridian.cluster.replica.txnrecord;

import dev.meridian.cluster.replica.concurrency.PushPolicy;
import dev.meridian.storage.mvcc.Span;
import dev.meridian.storage.mvcc.Timestamp;
import dev.meridian.storage.mvcc.TxnMeta;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules for transaction records (see the package documentation): each function takes the
 * current record (empty when there is none), a request and the evaluating replica's clock
 * reading, and returns what to write and what to answer. Pure and deterministic.
 */
public final class TxnRecords {

    private TxnRecords() {
    }

    /** Why a request was refused. */
    public enum Refusal {
        /** The transaction was aborted (by itself, a pusher or recovery): restart it. */
        ABORTED,
        /** The record's timestamp was pushed above the commit's: refresh reads there, then commit again. */
        RETRY_SERIALIZABLE,
        /** The request comes from an epoch older than the record's (a restart overtook it). */
        STALE_EPOCH,
        /** The transaction already committed: an abort of it is a client error. */
        ALREADY_COMMITTED,
        /** The pushee is alive and not weaker: wait in the queue. */
        PUSH_FAILED,
        /** The pushee is STAGING and expired: only recovery may decide. */
        NEEDS_RECOVERY
    }

    /**
     * The outcome of a request.
     */
    public sealed interface Result {
        /** Accepted; {@code write} is the record to store (empty: leave it as it is). */
        record Accepted(Optional<TxnRecord> write, TxnRecord record) implements Result {
        }

        /** Refused for {@code reason}; {@code record} is the record as it stands (if any). */
        record Refused(Refusal reason, Optional<TxnRecord> record, String message) implements Result {
        }
    }

    private static Result write(TxnRecord r) {
        return new Result.Accepted(Optional.of(r), r);
    }

    private static Result keep(TxnRecord r) {
        return new Result.Accepted(Optional.empty(), r);
    }

    private static Result refuse(Refusal reason, Optional<TxnRecord> current, String message) {
        return new Result.Refused(reason, current, message);
    }

    /**
     * The coordinator's heartbeat: creates the record PENDING if there is none, keeps it alive,
     * and takes a newer epoch (the transaction restarted).
     */
    public static Result heartbeat(Optional<TxnRecord> current, TxnMeta txn, byte[] anchorKey, Timestamp now) {
        Objects.requireNonNull(txn, "txn");
        if (current.isEmpty()) {
            return write(new TxnRecord(txn, anchorKey, TxnRecord.Status.PENDING, now, List.of(), List.of()));
        }
        TxnRecord r = current.get();
        if (r.status() == TxnRecord.Status.ABORTED) {
            return refuse(Refusal.ABORTED, current, "transaction " + txn.id() + " was aborted");
        }
        if (r.status() == TxnRecord.Status.COMMITTED) {
            return keep(r);
        }
        TxnRecord next = r;
        if (txn.epoch() > r.meta().epoch()) {
            next = inEpoch(r, txn.epoch(), txn.writeTimestamp());
        }
        if (r.lastHeartbeat().less(now)) {
            next = next.withHeartbeat(now);
        }
        return next == r ? keep(r) : write(next);
    }

    /**
     * The end of a transaction. A commit with writes in flight stages it (parallel commit); one
     * without commits it; an abort aborts it. Replays are idempotent.
     *
     * @param commit         commit (true) or abort
     * @param inFlightWrites the writes not yet known to have succeeded (commit only)
     * @param lockSpans      where the transaction's intents are, for resolution
     */
    public static Result endTxn(Optional<TxnRecord> current, TxnMeta txn, byte[] anchorKey, boolean commit,
                                List<TxnRecord.InFlightWrite> inFlightWrites, List<Span> lockSpans, Timestamp now) {
        Objects.requireNonNull(txn, "txn");
        if (!commit && !inFlightWrites.isEmpty()) {
            throw new IllegalArgumentException("an abort has no writes in flight");
        }
        if (current.isPresent()) {
            TxnRecord r = current.get();
            switch (r.status()) {
                case ABORTED -> {
                    return commit ? refuse(Refusal.ABORTED, current, "transaction " + txn.id() + " was aborted") : keep(r);
                }
                case COMMITTED -> {
                    return commit ? keep(r) : refuse(Refusal.ALREADY_COMMITTED, current,
                            "transaction " + txn.id() + " already committed at " + r.meta().writeTimestamp());
                }
                default -> {
                }
            }
            if (txn.epoch() < r.meta().epoch()) {
                return refuse(Refusal.STALE_EPOCH, current, "epoch " + txn.epoch() + " is older than the record's "
                        + r.meta().epoch());
            }
            if (commit && txn.writeTimestamp().less(r.meta().writeTimestamp())) {
                return refuse(Refusal.RETRY_SERIALIZABLE, current, "transaction " + txn.id() + " was pushed to "
                        + r.meta().writeTimestamp() + "; refresh its reads there before committing");
            }
        }
        Timestamp heartbeat = current.map(TxnRecord::lastHeartbeat).map(h -> max(h, now)).orElse(now);
        TxnRecord.Status status = !commit ? TxnRecord.Status.ABORTED
                : inFlightWrites.isEmpty() ? TxnRecord.Status.COMMITTED : TxnRecord.Status.STAGING;
        // A commit is at or above the record's timestamp (checked above); an abort keeps a pushed one.
        TxnMeta meta = current.map(r -> txn.withWriteTimestamp(max(r.meta().writeTimestamp(), txn.writeTimestamp())))
                .orElse(txn);
        return write(new TxnRecord(meta, anchorKey, status, heartbeat, inFlightWrites, lockSpans));
    }

    /**
     * A push by a request blocked on {@code pushee}'s intent (whose metadata the intent
     * carried). The pusher wants the pushee's writes above {@code pushTo}, or its lock.
     *
     * <p>An accepted push returns the record to write: ABORTED, or PENDING at a write timestamp
     * of at least {@code pushTo}; a finalized pushee is returned as it is, for the pusher to
     * resolve the intent it met. A missing record is treated as a PENDING one last heard from
     * at the pushee's start; if a push changes it, the pusher writes it, so that the pushee's
     * own heartbeat or commit meets the outcome.
     */
    public static Result push(Optional<TxnRecord> current, TxnMeta pushee, byte[] anchorKey, PushPolicy.Want want,
                              int pusherPriority, Timestamp pushTo, Timestamp now, Duration expiry) {
        TxnRecord r = current.orElseGet(() ->
                new TxnRecord(pushee, anchorKey, TxnRecord.Status.PENDING, pushee.minTimestamp(), List.of(), List.of()));
        if (r.status().finalized()) {
            return keep(r);
        }
        // The intent may be of a newer epoch than the record knows (the transaction restarted
        // and has not heartbeated since): the record takes it, so that the outcome of this push
        // applies to that intent (a resolution never touches an intent of a newer epoch).
        boolean newerEpoch = pushee.epoch() > r.meta().epoch();
        if (newerEpoch) {
            r = inEpoch(r, pushee.epoch(), pushee.writeTimestamp());
        }
        if (want == PushPolicy.Want.TIMESTAMP_ABOVE_READ && pushTo.less(r.meta().writeTimestamp())) {
            return newerEpoch ? write(r) : keep(r); // already above the read
        }
        boolean expired = expired(r, now, expiry);
        if (r.status() == TxnRecord.Status.STAGING) {
            return expired ? refuse(Refusal.NEEDS_RECOVERY, current, "transaction " + r.meta().id()
                    + " is staging a commit and its coordinator is silent: recover it")
                    : refuse(Refusal.PUSH_FAILED, current, "transaction " + r.meta().id() + " is committing");
        }
        return switch (PushPolicy.decide(want, pusherPriority, r.meta().priority(), expired)) {
            case WAIT -> refuse(Refusal.PUSH_FAILED, Optional.of(r), "transaction " + r.meta().id() + " is active with priority "
                    + r.meta().priority() + " >= " + pusherPriority);
            case PUSH_TIMESTAMP -> write(r.withMeta(r.meta().withWriteTimestamp(max(r.meta().writeTimestamp(), pushTo.next()))));
            case ABORT_HOLDER -> write(r.with(TxnRecord.Status.ABORTED, List.of()));
        };
    }

    /**
     * Recovery of a STAGING record whose coordinator went silent. The recoverer has looked for
     * every write in flight at the staging timestamp: if all were found, the transaction
     * committed (implicitly) and the record says so; if one was missing, the recoverer must
     * first have made it impossible at that timestamp (so it cannot land afterwards), and then
     * the transaction is aborted. A record no longer STAGING is returned as it is.
     *
     * @param allFound          every in-flight write was found at or below the staging timestamp
     * @param missingPrevented  the recoverer has prevented the missing writes (required when not allFound)
     */
    public static Result recover(Optional<TxnRecord> current, boolean allFound, boolean missingPrevented) {
        if (current.isEmpty()) {
            throw new IllegalArgumentException("no record to recover");
        }
        TxnRecord r = current.get();
        if (r.status() != TxnRecord.Status.STAGING) {
            return keep(r);
        }
        if (allFound) {
            return write(r.with(TxnRecord.Status.COMMITTED, List.of()));
        }
        if (!missingPrevented) {
            throw new IllegalStateException("aborting staging transaction " + r.meta().id()
                    + " before its missing writes are prevented could abort a committed transaction");
        }
        return write(r.with(TxnRecord.Status.ABORTED, List.of()));
    }

    /**
     * {@code r} moved to a newer epoch of its transaction: the write timestamp never falls, and
     * a STAGING record of the old epoch becomes PENDING (the coordinator restarted because a
     * write in flight was missing, so that epoch can never commit).
     */
    private static TxnRecord inEpoch(TxnRecord r, int epoch, Timestamp ts) {
        TxnRecord base = r.status() == TxnRecord.Status.STAGING ? r.with(TxnRecord.Status.PENDING, List.of()) : r;
        return base.withMeta(r.meta().withEpoch(epoch).withWriteTimestamp(max(r.meta().writeTimestamp(), ts)));
    }

    /** Whether the coordinator has been silent for longer than {@code expiry}. */
    public static boolean expired(TxnRecord r, Timestamp now, Duration expiry) {
        return r.lastHeartbeat().wallNanos() + expiry.toNanos() < now.wallNanos();
    }

    private static Timestamp max(Timestamp a, Timestamp b) {
        return a.less(b) ? b : a;
    }
}
