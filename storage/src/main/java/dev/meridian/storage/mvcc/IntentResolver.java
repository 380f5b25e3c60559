package dev.meridian.storage.mvcc;

import dev.meridian.storage.ReadWriteBatch;

import java.util.Arrays;
import java.util.List;

/** Commits, aborts and pushes intents; the rules are in package-info. */
final class IntentResolver {

    private IntentResolver() {
    }

    static ResolveOutcome resolve(ReadWriteBatch b, MvccStats stats, byte[] key, LockUpdate u) {
        KeyState st = KeyState.load(b, key);
        LockRecord lock = st.lock;
        if (lock == null) {
            return ResolveOutcome.NO_INTENT;
        }
        if (!lock.txn().id().equals(u.txnId())) {
            return ResolveOutcome.OTHER_TXN;
        }
        if (u.epoch() < lock.txn().epoch()) {
            return ResolveOutcome.STALE_EPOCH;
        }
        EntryWriter w = new EntryWriter(b);
        ResolveOutcome out;
        if (u.epoch() > lock.txn().epoch()) {
            // Written by an earlier attempt: never committed; a push still moves it so the
            // pusher's read can proceed. Its ignored-seq list belongs to another epoch: unused.
            out = u.status() == TxnStatus.PENDING ? push(w, st, u.timestamp(), lock.history()) : remove(w, st);
        } else {
            out = switch (u.status()) {
                case COMMITTED -> commit(w, st, u);
                case ABORTED -> remove(w, st);
                case PENDING -> push(w, st, u.timestamp(), lock.withoutIgnored(u.ignoredSeqs()));
            };
        }
        if (out.changed()) {
            w.finish(stats, key, st.summary());
        }
        return out;
    }

    static ResolveRangeResult resolveRange(ReadWriteBatch b, MvccStats stats, byte[] start, byte[] end, LockUpdate u,
                                           int maxIntents) {
        KeyWalker.Found found = KeyWalker.lockedBy(b, start, end, u.txnId(), maxIntents);
        if (u.status() == TxnStatus.COMMITTED) {
            // Bad input must change nothing: refuse a commit below any intent of the range
            // before resolving the first one, not halfway through.
            for (byte[] key : found.keys()) {
                KeyState st = KeyState.load(b, key);
                if (st.lock != null && st.lock.txn().id().equals(u.txnId()) && st.lock.txn().epoch() == u.epoch()) {
                    checkCommitTimestamp(st, u);
                }
            }
        }
        int resolved = 0;
        for (byte[] key : found.keys()) {
            if (resolve(b, stats, key, u).changed()) {
                resolved++;
            }
        }
        return new ResolveRangeResult(resolved, found.resume());
    }

    private static ResolveOutcome commit(EntryWriter w, KeyState st, LockUpdate u) {
        LockRecord lock = st.lock;
        checkCommitTimestamp(st, u);
        List<IntentHistoryEntry> kept = lock.withoutIgnored(u.ignoredSeqs());
        if (kept.isEmpty()) {
            return remove(w, st); // every write to this key was rolled back: nothing to commit
        }
        byte[] value = kept.get(kept.size() - 1).value();
        w.delete(st.lockKey, false);
        if (!u.timestamp().equals(lock.timestamp()) || !Arrays.equals(value, st.newest.value())) {
            w.delete(st.newest.engineKey(), true);
            w.putVersion(MvccKeyCodec.versionKeyFromLockKey(st.lockKey, u.timestamp()), value);
        }
        return ResolveOutcome.COMMITTED;
    }

    /** A transaction commits at or above every timestamp it wrote at; anything else is a caller bug. */
    private static void checkCommitTimestamp(KeyState st, LockUpdate u) {
        if (u.timestamp().less(st.lock.timestamp())) {
            throw new IllegalArgumentException("commit of transaction " + u.txnId() + " at " + u.timestamp()
                    + " below its intent on " + Printable.bytes(st.userKey) + " at " + st.lock.timestamp());
        }
    }

    private static ResolveOutcome remove(EntryWriter w, KeyState st) {
        w.delete(st.lockKey, false);
        w.delete(st.newest.engineKey(), true);
        return ResolveOutcome.REMOVED;
    }

    /** Moves a pending intent up to {@code ts} (never down) and keeps only the {@code kept} writes. */
    private static ResolveOutcome push(EntryWriter w, KeyState st, Timestamp ts, List<IntentHistoryEntry> kept) {
        LockRecord lock = st.lock;
        if (kept.isEmpty()) {
            return remove(w, st);
        }
        Timestamp newTs = lock.timestamp().forward(ts);
        if (newTs.equals(lock.timestamp()) && kept.size() == lock.history().size()) {
            return ResolveOutcome.UNCHANGED;
        }
        IntentHistoryEntry last = kept.get(kept.size() - 1);
        if (!newTs.equals(lock.timestamp())) {
            w.delete(st.newest.engineKey(), true);
        }
        TxnMeta meta = lock.txn().withWriteTimestamp(newTs).withSequence(last.sequence());
        w.putLock(st.lockKey, new LockRecord(meta, kept));
        w.putVersion(MvccKeyCodec.versionKeyFromLockKey(st.lockKey, newTs), last.value());
        return ResolveOutcome.UPDATED;
    }
}
