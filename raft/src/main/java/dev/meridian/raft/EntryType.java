package dev.meridian.raft;

/** What a log entry carries. */
public enum EntryType {
    /** Application data (empty data: the leader's no-op at the start of its term). */
    NORMAL,
    /** An encoded {@link ConfChange}; the application hands it to {@link RawNode#applyConfChange} when applying. */
    CONF_CHANGE
}
