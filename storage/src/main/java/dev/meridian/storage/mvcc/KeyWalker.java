package dev.meridian.storage.mvcc;

import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineReader;
import dev.meridian.storage.KeySpace;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Finds the user keys of a span with one seek per key, skipping over their versions. */
final class KeyWalker {
    private KeyWalker() {
    }

    /** Every user key in {@code [start, end)} that has at least one entry, in order. */
    static List<byte[]> userKeys(EngineReader reader, byte[] start, byte[] end) {
        List<byte[]> keys = new ArrayList<>();
        if (MvccKeyCodec.emptySpan(start, end)) {
            return keys;
        }
        byte[] lower = MvccKeyCodec.spanStart(start);
        try (EngineIterator it = reader.iterator(KeySpace.MVCC, lower, MvccKeyCodec.spanEnd(end))) {
            for (it.seek(lower); it.valid(); ) {
                byte[] key = MvccKeyCodec.decode(it.key()).userKey();
                keys.add(key);
                it.seek(MvccKeyCodec.keyEnd(key));
            }
        }
        return keys;
    }

    /** The keys found and, when {@code max} stopped the walk early, where to resume. */
    record Found(List<byte[]> keys, Span resume) {
    }

    /** The keys in {@code [start, end)} whose lock record belongs to {@code txnId}; at most {@code max} (0: all). */
    static Found lockedBy(EngineReader reader, byte[] start, byte[] end, UUID txnId, int max) {
        List<byte[]> keys = new ArrayList<>();
        if (MvccKeyCodec.emptySpan(start, end)) {
            return new Found(keys, null);
        }
        byte[] lower = MvccKeyCodec.spanStart(start);
        try (EngineIterator it = reader.iterator(KeySpace.MVCC, lower, MvccKeyCodec.spanEnd(end))) {
            for (it.seek(lower); it.valid(); ) {
                byte[] engineKey = it.key();
                MvccKeyCodec.Decoded d = MvccKeyCodec.decode(engineKey);
                if (d.isLock() && KeyState.decodeLock(engineKey, it.value()).txn().id().equals(txnId)) {
                    if (max > 0 && keys.size() == max) {
                        return new Found(keys, new Span(d.userKey(), end));
                    }
                    keys.add(d.userKey());
                }
                it.seek(MvccKeyCodec.keyEnd(d.userKey()));
            }
        }
        return new Found(keys, null);
    }
}
