package dev.meridian.storage.mvcc;

import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineReader;
import dev.meridian.storage.KeySpace;

import java.util.UUID;

/** The refresh check: one pass over a span's entries, stopping at the first write in the window. */
final class MvccRefresh {

    private MvccRefresh() {
    }

    static RefreshResult check(EngineReader reader, byte[] start, byte[] end, Timestamp from, Timestamp to, UUID txnId) {
        if (!from.less(to) || MvccKeyCodec.emptySpan(start, end)) {
            return RefreshResult.OK;
        }
        byte[] lower = MvccKeyCodec.spanStart(start);
        try (EngineIterator it = reader.iterator(KeySpace.MVCC, lower, MvccKeyCodec.spanEnd(end))) {
            for (it.seek(lower); it.valid(); ) {
                byte[] engineKey = it.key();
                MvccKeyCodec.Decoded d = MvccKeyCodec.decode(engineKey);
                Timestamp own = null;
                if (d.isLock()) {
                    LockRecord lock = KeyState.decodeLock(engineKey, it.value());
                    if (!lock.txn().id().equals(txnId)) {
                        if (!to.less(lock.timestamp())) {
                            return new RefreshResult(RefreshResult.Status.INTENT, d.userKey(), lock.timestamp(), lock.txn());
                        }
                    } else {
                        own = lock.timestamp();
                    }
                    it.next();
                }
                // Versions newest first: skip those above the window, then look at the newest one
                // at or below `to` that is not the reader's own provisional version.
                for (; it.valid(); it.next()) {
                    MvccKeyCodec.Decoded v = MvccKeyCodec.decode(it.key());
                    if (v.isLock() || !java.util.Arrays.equals(v.userKey(), d.userKey())) {
                        break;
                    }
                    Timestamp ts = v.timestamp();
                    if (to.less(ts) || ts.equals(own)) {
                        continue;
                    }
                    if (from.less(ts)) {
                        return new RefreshResult(RefreshResult.Status.COMMITTED_VALUE, d.userKey(), ts, null);
                    }
                    break;
                }
                it.seek(MvccKeyCodec.keyEnd(d.userKey()));
            }
        }
        return RefreshResult.OK;
    }
}
