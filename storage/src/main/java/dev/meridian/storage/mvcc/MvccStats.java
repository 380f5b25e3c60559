package dev.meridian.storage.mvcc;

/**
 * MVCC statistics of a span, kept incrementally by every write operation (which adds its delta
 * to the accumulator it is given) and recomputable from scratch with {@link Mvcc#computeStats}.
 * Both must always agree; tests compare them after every step.
 *
 * <p>Byte counts are of the encoded engine entries (MVCC key and encoded value with its checksum
 * header), so they measure what the engine stores.
 * <ul>
 *   <li>{@code keyCount}: user keys with at least one entry (version or lock record);</li>
 *   <li>{@code keyBytes}, {@code valBytes}: key and value bytes of every entry, lock records included;</li>
 *   <li>{@code valCount}: versions, tombstones and provisional versions included;</li>
 *   <li>{@code liveCount}, {@code liveBytes}: keys whose newest version (a provisional one
 *       included) is not a tombstone, and that version's key + value bytes;</li>
 *   <li>{@code intentCount}, {@code intentBytes}: lock records, and the key + value bytes of
 *       each lock record plus its provisional version.</li>
 * </ul>
 * Not thread safe: one accumulator per evaluating command.
 */
public final class MvccStats {
    private long liveCount;
    private long liveBytes;
    private long keyCount;
    private long keyBytes;
    private long valCount;
    private long valBytes;
    private long intentCount;
    private long intentBytes;

    public MvccStats() {
    }

    public MvccStats(long liveCount, long liveBytes, long keyCount, long keyBytes, long valCount, long valBytes,
                     long intentCount, long intentBytes) {
        this.liveCount = liveCount;
        this.liveBytes = liveBytes;
        this.keyCount = keyCount;
        this.keyBytes = keyBytes;
        this.valCount = valCount;
        this.valBytes = valBytes;
        this.intentCount = intentCount;
        this.intentBytes = intentBytes;
    }

    public long liveCount() {
        return liveCount;
    }

    public long liveBytes() {
        return liveBytes;
    }

    public long keyCount() {
        return keyCount;
    }

    public long keyBytes() {
        return keyBytes;
    }

    public long valCount() {
        return valCount;
    }

    public long valBytes() {
        return valBytes;
    }

    public long intentCount() {
        return intentCount;
    }

    public long intentBytes() {
        return intentBytes;
    }

    /** Key bytes plus value bytes of everything stored. */
    public long totalBytes() {
        return keyBytes + valBytes;
    }

    /** Adds {@code other} into this accumulator. */
    public void add(MvccStats other) {
        liveCount += other.liveCount;
        liveBytes += other.liveBytes;
        keyCount += other.keyCount;
        keyBytes += other.keyBytes;
        valCount += other.valCount;
        valBytes += other.valBytes;
        intentCount += other.intentCount;
        intentBytes += other.intentBytes;
    }

    /** Subtracts {@code other} from this accumulator. */
    public void subtract(MvccStats other) {
        liveCount -= other.liveCount;
        liveBytes -= other.liveBytes;
        keyCount -= other.keyCount;
        keyBytes -= other.keyBytes;
        valCount -= other.valCount;
        valBytes -= other.valBytes;
        intentCount -= other.intentCount;
        intentBytes -= other.intentBytes;
    }

    public MvccStats copy() {
        return new MvccStats(liveCount, liveBytes, keyCount, keyBytes, valCount, valBytes, intentCount, intentBytes);
    }

    void addEntry(int keyLen, int valueLen, boolean version, int sign) {
        keyBytes += (long) sign * keyLen;
        valBytes += (long) sign * valueLen;
        if (version) {
            valCount += sign;
        }
    }

    void addKeySummary(KeySummary s, int sign) {
        keyCount += sign * (s.exists() ? 1 : 0);
        liveCount += sign * (s.live() ? 1 : 0);
        liveBytes += (long) sign * s.liveBytes();
        intentCount += sign * (s.intent() ? 1 : 0);
        intentBytes += (long) sign * s.intentBytes();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MvccStats s && liveCount == s.liveCount && liveBytes == s.liveBytes
                && keyCount == s.keyCount && keyBytes == s.keyBytes && valCount == s.valCount
                && valBytes == s.valBytes && intentCount == s.intentCount && intentBytes == s.intentBytes;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(liveBytes * 31 + keyBytes * 17 + valBytes + intentBytes * 7 + keyCount);
    }

    @Override
    public String toString() {
        return "live=" + liveCount + "/" + liveBytes + "B keys=" + keyCount + "/" + keyBytes + "B vals="
                + valCount + "/" + valBytes + "B intents=" + intentCount + "/" + intentBytes + "B total="
                + totalBytes() + "B";
    }
}
