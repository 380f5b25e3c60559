package dev.meridian.storage.mvcc;

import dev.meridian.storage.CorruptionException;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The engine key layout of MVCC data in {@link dev.meridian.storage.KeySpace#MVCC}.
 *
 * <pre>
 *   prefix(k)   := escape(k) 0x00 0x01          escape: 0x00 -&gt; 0x00 0xFF, other bytes as is
 *   lock key    := prefix(k)                    the key's lock record (sorts before its versions)
 *   version key := prefix(k) ~wall(8) ~logical(4)   big-endian, bitwise inverted: newest first
 * </pre>
 *
 * The escaping makes {@code prefix} prefix-free and order-preserving: for user keys a &lt; b,
 * every entry of a sorts before every entry of b, and a user span {@code [s, e)} is the engine
 * span {@code [prefix(s), prefix(e))}. Within one key, the lock record comes first and versions
 * follow newest first, so one seek to {@code prefix(k)} finds the lock and then the versions.
 */
public final class MvccKeyCodec {
    /** Bytes of the timestamp suffix of a version key. */
    public static final int TIMESTAMP_SUFFIX = 12;

    private MvccKeyCodec() {
    }

    /** A decoded engine key: the user key and the version's timestamp, or {@code null} for a lock record. */
    public record Decoded(byte[] userKey, Timestamp timestamp) {
        public boolean isLock() {
            return timestamp == null;
        }
    }

    /** The engine key of {@code userKey}'s lock record, which is also the start of its entries. */
    public static byte[] lockKey(byte[] userKey) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(userKey.length + 2 + TIMESTAMP_SUFFIX);
        for (byte b : userKey) {
            out.write(b);
            if (b == 0) {
                out.write(0xFF);
            }
        }
        out.write(0x00);
        out.write(0x01);
        return out.toByteArray();
    }

    /** The engine key of {@code userKey}'s version at {@code ts}. */
    public static byte[] versionKey(byte[] userKey, Timestamp ts) {
        return versionKeyFromLockKey(lockKey(userKey), ts);
    }

    static byte[] versionKeyFromLockKey(byte[] lockKey, Timestamp ts) {
        byte[] k = Arrays.copyOf(lockKey, lockKey.length + TIMESTAMP_SUFFIX);
        long wall = ~ts.wallNanos();
        int logical = ~ts.logical();
        int p = lockKey.length;
        for (int i = 7; i >= 0; i--) {
            k[p++] = (byte) (wall >>> (8 * i));
        }
        for (int i = 3; i >= 0; i--) {
            k[p++] = (byte) (logical >>> (8 * i));
        }
        return k;
    }

    /** The exclusive engine upper bound of every entry of {@code userKey}. */
    public static byte[] keyEnd(byte[] userKey) {
        byte[] k = lockKey(userKey);
        k[k.length - 1] = 0x02;
        return k;
    }

    /** The engine start of the user span starting at {@code userKey}. */
    public static byte[] spanStart(byte[] userKey) {
        return lockKey(userKey);
    }

    /** The engine end of the user span ending (exclusive) at {@code userKey}; {@code null} stays unbounded. */
    public static byte[] spanEnd(byte[] userKey) {
        return userKey == null ? null : lockKey(userKey);
    }

    /**
     * Decodes an engine key of the MVCC key space.
     *
     * @throws CorruptionException if it is not a well-formed MVCC key
     */
    public static Decoded decode(byte[] engineKey) {
        ByteArrayOutputStream user = new ByteArrayOutputStream(engineKey.length);
        int i = 0;
        while (true) {
            if (i >= engineKey.length) {
                throw new CorruptionException("MVCC key has no terminator", engineKey);
            }
            byte b = engineKey[i++];
            if (b != 0) {
                user.write(b);
                continue;
            }
            if (i >= engineKey.length) {
                throw new CorruptionException("MVCC key ends inside an escape", engineKey);
            }
            int next = engineKey[i++] & 0xFF;
            if (next == 0xFF) {
                user.write(0);
            } else if (next == 0x01) {
                break;
            } else {
                throw new CorruptionException("MVCC key has a bad escape", engineKey);
            }
        }
        int rest = engineKey.length - i;
        if (rest == 0) {
            return new Decoded(user.toByteArray(), null);
        }
        if (rest != TIMESTAMP_SUFFIX) {
            throw new CorruptionException("MVCC key has a timestamp suffix of " + rest + " bytes", engineKey);
        }
        return new Decoded(user.toByteArray(), decodeSuffix(engineKey, i));
    }

    private static Timestamp decodeSuffix(byte[] k, int p) {
        long wall = 0;
        for (int j = 0; j < 8; j++) {
            wall = (wall << 8) | (k[p + j] & 0xFF);
        }
        int logical = 0;
        for (int j = 8; j < 12; j++) {
            logical = (logical << 8) | (k[p + j] & 0xFF);
        }
        wall = ~wall;
        logical = ~logical;
        if (wall < 0 || logical < 0) {
            throw new CorruptionException("MVCC key has an impossible timestamp", k);
        }
        return new Timestamp(wall, logical);
    }

    /** Whether the user span {@code [start, end)} holds no key ({@code end == null} is unbounded). */
    static boolean emptySpan(byte[] start, byte[] end) {
        return end != null && Arrays.compareUnsigned(start, end) >= 0;
    }

    /** Whether engine key {@code k} is an entry (lock or version) of the key whose lock key is {@code lockKey}. */
    static boolean belongsTo(byte[] k, byte[] lockKey) {
        return (k.length == lockKey.length || k.length == lockKey.length + TIMESTAMP_SUFFIX)
                && Arrays.equals(k, 0, lockKey.length, lockKey, 0, lockKey.length);
    }

    /** The version timestamp of an entry of {@code lockKey}'s key, or {@code null} for the lock record. */
    static Timestamp timestampOf(byte[] k, int lockKeyLength) {
        return k.length == lockKeyLength ? null : decodeSuffix(k, lockKeyLength);
    }
}
