package dev.meridian.storage.mvcc;

import dev.meridian.storage.CorruptionException;

import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The engine value of an MVCC entry:
 *
 * <pre>
 *   value := kind(1) crc32c(4, big-endian) payload
 *   crc32c covers the engine key, the kind byte and the payload
 * </pre>
 *
 * Covering the key means a value copied or moved to another key (a bug in a compaction filter,
 * a snapshot applied at the wrong place) fails its checksum like a flipped bit does.
 */
final class MvccValueCodec {
    static final int HEADER = 5;

    enum Kind {
        VALUE(1), TOMBSTONE(2), LOCK(3);

        final int tag;

        Kind(int tag) {
            this.tag = tag;
        }

        static Kind ofTag(int tag) {
            for (Kind k : values()) {
                if (k.tag == tag) {
                    return k;
                }
            }
            return null;
        }
    }

    /** A verified value: its kind and payload (empty for a tombstone). */
    record Decoded(Kind kind, byte[] payload) {
        /** The user value: {@code null} for a tombstone. */
        byte[] userValue() {
            return kind == Kind.TOMBSTONE ? null : payload;
        }
    }

    private MvccValueCodec() {
    }

    /** Encodes a version value: {@code null} is a tombstone. */
    static byte[] encodeVersion(byte[] engineKey, byte[] userValue) {
        return userValue == null ? encode(engineKey, Kind.TOMBSTONE, new byte[0]) : encode(engineKey, Kind.VALUE, userValue);
    }

    static byte[] encode(byte[] engineKey, Kind kind, byte[] payload) {
        byte[] out = new byte[HEADER + payload.length];
        out[0] = (byte) kind.tag;
        System.arraycopy(payload, 0, out, HEADER, payload.length);
        int crc = checksum(engineKey, out);
        out[1] = (byte) (crc >>> 24);
        out[2] = (byte) (crc >>> 16);
        out[3] = (byte) (crc >>> 8);
        out[4] = (byte) crc;
        return out;
    }

    /**
     * Verifies and decodes a stored value.
     *
     * @throws CorruptionException naming the user key if the checksum or kind is wrong, or if the
     *                             kind does not fit the entry (a lock value under a version key)
     */
    static Decoded decode(byte[] engineKey, byte[] stored) {
        boolean lockEntry = isLockKey(engineKey);
        if (stored.length < HEADER) {
            throw corrupt("MVCC value too short (" + stored.length + " bytes)", engineKey);
        }
        int expected = ((stored[1] & 0xFF) << 24) | ((stored[2] & 0xFF) << 16) | ((stored[3] & 0xFF) << 8) | (stored[4] & 0xFF);
        if (checksum(engineKey, stored) != expected) {
            throw corrupt("MVCC value checksum mismatch", engineKey);
        }
        Kind kind = Kind.ofTag(stored[0] & 0xFF);
        if (kind == null || (kind == Kind.LOCK) != lockEntry) {
            throw corrupt("MVCC value has kind " + (stored[0] & 0xFF) + " that does not fit its key", engineKey);
        }
        if (kind == Kind.TOMBSTONE && stored.length != HEADER) {
            throw corrupt("MVCC tombstone carries a payload", engineKey);
        }
        return new Decoded(kind, Arrays.copyOfRange(stored, HEADER, stored.length));
    }

    private static boolean isLockKey(byte[] engineKey) {
        MvccKeyCodec.Decoded d = MvccKeyCodec.decode(engineKey);
        return d.isLock();
    }

    private static int checksum(byte[] engineKey, byte[] value) {
        CRC32C crc = new CRC32C();
        crc.update(engineKey);
        crc.update(value, 0, 1);
        crc.update(value, HEADER, value.length - HEADER);
        return (int) crc.getValue();
    }

    /** A corruption report naming the user key (and the version, if any) in readable form. */
    static CorruptionException corrupt(String what, byte[] engineKey) {
        String where;
        byte[] userKey;
        try {
            MvccKeyCodec.Decoded d = MvccKeyCodec.decode(engineKey);
            userKey = d.userKey();
            where = " for key " + Printable.bytes(userKey) + (d.isLock() ? " (lock record)" : " @" + d.timestamp());
        } catch (CorruptionException e) {
            userKey = engineKey;
            where = " for an undecodable key";
        }
        return new CorruptionException(what + where, userKey);
    }
}
