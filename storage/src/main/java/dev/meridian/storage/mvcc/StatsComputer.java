package dev.meridian.storage.mvcc;

import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineReader;
import dev.meridian.storage.KeySpace;

/** Recomputes {@link MvccStats} of a span from scratch, verifying every checksum on the way. */
final class StatsComputer {

    private StatsComputer() {
    }

    static MvccStats compute(EngineReader reader, byte[] start, byte[] end) {
        MvccStats stats = new MvccStats();
        if (MvccKeyCodec.emptySpan(start, end)) {
            return stats;
        }
        byte[] lower = MvccKeyCodec.spanStart(start);
        try (EngineIterator it = reader.iterator(KeySpace.MVCC, lower, MvccKeyCodec.spanEnd(end))) {
            it.seek(lower);
            while (it.valid()) {
                byte[] key = MvccKeyCodec.decode(it.key()).userKey();
                addKey(it, MvccKeyCodec.lockKey(key), stats);
            }
        }
        return stats;
    }

    /** Adds the entries of one key, leaving the iterator at the next key's first entry. */
    private static void addKey(EngineIterator it, byte[] lockKey, MvccStats stats) {
        int lockBytes = 0;
        Timestamp provisional = null;
        KeyState.Version newest = null;
        for (; it.valid() && MvccKeyCodec.belongsTo(it.key(), lockKey); it.next()) {
            byte[] k = it.key();
            byte[] raw = it.value();
            if (k.length == lockKey.length) {
                provisional = KeyState.decodeLock(k, raw).timestamp();
                lockBytes = k.length + raw.length;
                stats.addEntry(k.length, raw.length, false, 1);
                continue;
            }
            KeyState.Version v = KeyState.readVersion(it, lockKey.length);
            stats.addEntry(k.length, raw.length, true, 1);
            if (newest == null) {
                newest = v;
            }
        }
        if (provisional != null && (newest == null || !newest.timestamp().equals(provisional))) {
            throw MvccValueCodec.corrupt("lock record without its provisional version at " + provisional, lockKey);
        }
        boolean live = newest != null && !newest.tombstone();
        long intentBytes = provisional == null ? 0 : lockBytes + newest.entryBytes();
        stats.addKeySummary(new KeySummary(true, live, live ? newest.entryBytes() : 0, provisional != null, intentBytes), 1);
    }
}
