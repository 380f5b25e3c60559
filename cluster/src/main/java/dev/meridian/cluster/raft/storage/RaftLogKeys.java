package dev.meridian.cluster.raft.storage;

import java.nio.ByteBuffer;

/**
 * Key layout of the {@code RAFT_LOG} key space: {@code groupId (8 bytes, big-endian)} then a
 * one-byte kind, then for entries the index (8 bytes, big-endian). Group ids and indexes are
 * non-negative, so unsigned byte order equals numeric order: a group's records form one
 * contiguous span and its entries sort by index, which lets truncation and compaction be single
 * range deletions.
 */
final class RaftLogKeys {

    static final byte HARD_STATE = 0x01;
    static final byte TRUNCATED_STATE = 0x02;
    static final byte SNAPSHOT = 0x03;
    static final byte ENTRY = 0x10;
    /** Just past every entry kind: the end of a group's entry span. */
    static final byte ENTRY_END = 0x11;

    private RaftLogKeys() {
    }

    static byte[] record(long groupId, byte kind) {
        return ByteBuffer.allocate(9).putLong(groupId).put(kind).array();
    }

    static byte[] entry(long groupId, long index) {
        return ByteBuffer.allocate(17).putLong(groupId).put(ENTRY).putLong(index).array();
    }

    /** The first key after every entry of {@code groupId}. */
    static byte[] entriesEnd(long groupId) {
        return record(groupId, ENTRY_END);
    }

    /** The first key of {@code groupId}'s span. */
    static byte[] groupStart(long groupId) {
        return ByteBuffer.allocate(8).putLong(groupId).array();
    }

    /** The first key after {@code groupId}'s span. */
    static byte[] groupEnd(long groupId) {
        return ByteBuffer.allocate(8).putLong(groupId + 1).array();
    }

    static long indexOf(byte[] entryKey) {
        return ByteBuffer.wrap(entryKey, 9, 8).getLong();
    }
}
