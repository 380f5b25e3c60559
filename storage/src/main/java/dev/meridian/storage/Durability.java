package dev.meridian.storage;

/** Whether a write must be on stable storage (fsynced) before {@link Engine#write} returns. */
public enum Durability {
    /** The write-ahead log is fsynced before the call returns; survives a power cut. */
    SYNCED,
    /**
     * The write reaches the write-ahead log but is not fsynced; survives a process crash, not a
     * machine crash. Used where a later synced write covers it (e.g. Raft apply after the log).
     */
    UNSYNCED
}
