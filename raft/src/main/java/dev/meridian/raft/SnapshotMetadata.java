package dev.meridian.raft;

/**
 * Where a snapshot sits in the log: it replaces every entry up to {@code index}, the last of
 * which had {@code term}, and carries the membership in force at that index.
 */
public record SnapshotMetadata(long index, long term, ConfState confState) {

    public static final SnapshotMetadata EMPTY = new SnapshotMetadata(0, 0, ConfState.EMPTY);
}
