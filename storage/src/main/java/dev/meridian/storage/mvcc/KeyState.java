package dev.meridian.storage.mvcc;

import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineReader;
import dev.meridian.storage.KeySpace;

/**
 * The head of one key as a writer needs it, read with one seek: the lock record (if any) and the
 * two newest versions. With a lock record the newest version is its provisional version, so
 * {@link #newestCommitted()} is the one after it.
 */
final class KeyState {

    /** A verified version. {@code value == null} is a tombstone. */
    record Version(Timestamp timestamp, byte[] engineKey, byte[] value, int entryBytes) {
        boolean tombstone() {
            return value == null;
        }
    }

    final byte[] userKey;
    final byte[] lockKey;
    final LockRecord lock;
    final int lockEntryBytes;
    final Version newest;
    final Version second;

    private KeyState(byte[] userKey, byte[] lockKey, LockRecord lock, int lockEntryBytes, Version newest, Version second) {
        this.userKey = userKey;
        this.lockKey = lockKey;
        this.lock = lock;
        this.lockEntryBytes = lockEntryBytes;
        this.newest = newest;
        this.second = second;
        if (lock != null && (newest == null || !newest.timestamp().equals(lock.timestamp()))) {
            throw MvccValueCodec.corrupt("lock record without its provisional version at " + lock.timestamp(), lockKey);
        }
    }

    static KeyState load(EngineReader reader, byte[] userKey) {
        return load(reader, userKey, false);
    }

    /**
     * The state of a key that is most likely new (the check before a put or a conditional put):
     * the engine may skip files by their filters ({@link EngineReader#probe}).
     */
    static KeyState loadLikelyAbsent(EngineReader reader, byte[] userKey) {
        return load(reader, userKey, true);
    }

    private static KeyState load(EngineReader reader, byte[] userKey, boolean likelyAbsent) {
        byte[] lockKey = MvccKeyCodec.lockKey(userKey);
        byte[] end = MvccKeyCodec.keyEnd(userKey);
        try (EngineIterator it = likelyAbsent ? reader.probe(KeySpace.MVCC, lockKey, end)
                : reader.iterator(KeySpace.MVCC, lockKey, end)) {
            it.seek(lockKey);
            LockRecord lock = null;
            int lockBytes = 0;
            if (it.valid() && it.key().length == lockKey.length) {
                byte[] raw = it.value();
                lock = decodeLock(lockKey, raw);
                lockBytes = lockKey.length + raw.length;
                it.next();
            }
            Version first = it.valid() ? readVersion(it, lockKey.length) : null;
            if (first != null) {
                it.next();
            }
            Version second = it.valid() ? readVersion(it, lockKey.length) : null;
            return new KeyState(userKey, lockKey, lock, lockBytes, first, second);
        }
    }

    static LockRecord decodeLock(byte[] lockKey, byte[] raw) {
        return LockRecordCodec.decode(lockKey, MvccValueCodec.decode(lockKey, raw).payload());
    }

    static Version readVersion(EngineIterator it, int lockKeyLength) {
        byte[] k = it.key();
        byte[] raw = it.value();
        if (k.length != lockKeyLength + MvccKeyCodec.TIMESTAMP_SUFFIX) {
            throw MvccValueCodec.corrupt("MVCC entry with a malformed key", k);
        }
        MvccValueCodec.Decoded d = MvccValueCodec.decode(k, raw);
        return new Version(MvccKeyCodec.timestampOf(k, lockKeyLength), k, d.userValue(), k.length + raw.length);
    }

    /** The newest version that is not this key's provisional version. */
    Version newestCommitted() {
        return lock == null ? newest : second;
    }

    KeySummary summary() {
        if (lock == null && newest == null) {
            return KeySummary.ABSENT;
        }
        boolean live = newest != null && !newest.tombstone();
        long liveBytes = live ? newest.entryBytes() : 0;
        long intentBytes = lock == null ? 0 : lockEntryBytes + newest.entryBytes();
        return new KeySummary(true, live, liveBytes, lock != null, intentBytes);
    }
}
