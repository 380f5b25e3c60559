package dev.meridian.storage;

/**
 * The separate key spaces of an engine. On RocksDB each is a column family, so that Raft log
 * churn, replicated MVCC data and node-local bookkeeping are compacted and tuned apart.
 *
 * <p>Keys in different key spaces never collide: the same byte key may exist in each.
 */
public enum KeySpace {
    /** Raft log entries and hard state of every group on the store; written often, truncated. */
    RAFT_LOG("raft_log"),
    /** Replicated data: MVCC versions, intents and lock records, range-local replicated state. */
    MVCC("mvcc"),
    /** Node-local, unreplicated state: store identity, format version, settings. */
    LOCAL("local");

    private final String columnFamilyName;

    KeySpace(String columnFamilyName) {
        this.columnFamilyName = columnFamilyName;
    }

    /** The RocksDB column family that holds this key space. */
    public String columnFamilyName() {
        return columnFamilyName;
    }
}
