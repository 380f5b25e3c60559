package dev.meridian.cluster.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The layout of Meridian's one ordered key space, and of the node-local keys beside it.
 *
 * <pre>
 *   MVCC key space (replicated, addressable, cut into ranges):
 *     0x02 endKey                 meta: the descriptor of the range ending at endKey
 *     0x04 "nodeidgen"            counter for node ids
 *     0x04 "rangeidgen"           counter for range ids
 *     0x04 "node/" nodeId(8)      node descriptors
 *     0x10 ... 0xff 0xff          user keys (tables later; raw keys for the KV API)
 *   LOCAL key space (per store, not addressable):
 *     "ident"                     the store's identity (cluster id, node id)
 *     "r" rangeId(8) "replica"    this store's replica id in the range (written when the replica is created)
 *     "r" rangeId(8) "state"      a replica's range state (descriptor, lease, applied index, stats)
 *     "t" prefix(anchor) txnId(16) a transaction record (replicated: written by commands, carried by
 *                                snapshots; prefix() is the MVCC key prefix, so the records of a
 *                                range's anchors lie in one span, see {@link #txnRecordBounds})
 * </pre>
 *
 * The first range always starts at {@link #MIN} and holds the whole meta span: a split key must
 * be at or above {@link #META_MAX}, so "which range holds key k" is one scan of the first range's
 * meta span for the smallest end key above k.
 */
public final class Keys {

    public static final byte[] MIN = {};
    public static final byte[] MAX = {(byte) 0xff, (byte) 0xff};
    public static final byte[] META_PREFIX = {0x02};
    public static final byte[] META_MAX = {0x03};
    public static final byte[] SYSTEM_PREFIX = {0x04};
    public static final byte[] SYSTEM_MAX = {0x05};
    public static final byte[] NODE_ID_GEN = system("nodeidgen");
    public static final byte[] RANGE_ID_GEN = system("rangeidgen");
    public static final byte[] NODE_DESC_PREFIX = system("node/");
    /** The first key a client of the KV API may write. */
    public static final byte[] USER_MIN = {0x10};

    public static final byte[] STORE_IDENT = "ident".getBytes(StandardCharsets.US_ASCII);
    private static final byte RANGE_LOCAL = 'r';
    private static final byte TXN_RECORD = 't';
    private static final byte[] STATE_SUFFIX = "state".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLICA_SUFFIX = "replica".getBytes(StandardCharsets.US_ASCII);

    private Keys() {
    }

    private static byte[] system(String name) {
        return concat(SYSTEM_PREFIX, name.getBytes(StandardCharsets.US_ASCII));
    }

    /** The meta key under which the descriptor of the range ending at {@code endKey} is stored. */
    public static byte[] metaKey(byte[] endKey) {
        return concat(META_PREFIX, endKey);
    }

    /** The end key a meta key stands for. */
    public static byte[] endKeyOfMeta(byte[] metaKey) {
        if (metaKey.length < 1 || metaKey[0] != META_PREFIX[0]) {
            throw new IllegalArgumentException("not a meta key: " + pretty(metaKey));
        }
        return Arrays.copyOfRange(metaKey, 1, metaKey.length);
    }

    /**
     * Where to start scanning meta for the range that holds {@code key}: the range's end key is
     * the smallest end key strictly greater than {@code key}.
     */
    public static byte[] metaLookupStart(byte[] key) {
        return metaKey(next(key));
    }

    public static byte[] nodeDescriptorKey(long nodeId) {
        return concat(NODE_DESC_PREFIX, ByteBuffer.allocate(8).putLong(nodeId).array());
    }

    public static byte[] rangeStateKey(long rangeId) {
        return ByteBuffer.allocate(1 + 8 + STATE_SUFFIX.length).put(RANGE_LOCAL).putLong(rangeId).put(STATE_SUFFIX).array();
    }

    /** Where this store records its replica id in the range (it may not be in the applied descriptor yet). */
    public static byte[] rangeReplicaIdKey(long rangeId) {
        return ByteBuffer.allocate(1 + 8 + REPLICA_SUFFIX.length).put(RANGE_LOCAL).putLong(rangeId).put(REPLICA_SUFFIX).array();
    }

    /** The range id of a {@link #rangeReplicaIdKey}, or -1 if {@code key} is not one. */
    public static long rangeIdOfReplicaIdKey(byte[] key) {
        if (key.length != 1 + 8 + REPLICA_SUFFIX.length || key[0] != RANGE_LOCAL
                || !Arrays.equals(key, 9, key.length, REPLICA_SUFFIX, 0, REPLICA_SUFFIX.length)) {
            return -1;
        }
        return ByteBuffer.wrap(key, 1, 8).getLong();
    }

    /** The prefix of every replica's local keys; {@link #rangeIdOfStateKey} reads them back. */
    public static byte[] rangeLocalPrefix() {
        return new byte[] {RANGE_LOCAL};
    }

    /** The range id of a {@link #rangeStateKey}, or -1 if {@code key} is not one. */
    public static long rangeIdOfStateKey(byte[] key) {
        if (key.length != 1 + 8 + STATE_SUFFIX.length || key[0] != RANGE_LOCAL
                || !Arrays.equals(key, 9, key.length, STATE_SUFFIX, 0, STATE_SUFFIX.length)) {
            return -1;
        }
        return ByteBuffer.wrap(key, 1, 8).getLong();
    }

    /** Where the record of transaction {@code txnId} anchored at {@code anchor} is kept (LOCAL key space). */
    public static byte[] txnRecordKey(byte[] anchor, java.util.UUID txnId) {
        byte[] prefix = dev.meridian.storage.mvcc.MvccKeyCodec.spanStart(anchor);
        return ByteBuffer.allocate(1 + prefix.length + 16).put(TXN_RECORD).put(prefix)
                .putLong(txnId.getMostSignificantBits()).putLong(txnId.getLeastSignificantBits()).array();
    }

    /** The LOCAL key span holding the records of every transaction anchored in {@code [start, end)}. */
    public static byte[][] txnRecordBounds(byte[] start, byte[] end) {
        return new byte[][] {concat(new byte[] {TXN_RECORD}, dev.meridian.storage.mvcc.MvccKeyCodec.spanStart(start)),
                concat(new byte[] {TXN_RECORD}, dev.meridian.storage.mvcc.MvccKeyCodec.spanStart(end))};
    }

    /** Whether {@code key} (LOCAL key space) is a transaction record's key. */
    public static boolean isTxnRecordKey(byte[] key) {
        return key.length > 17 && key[0] == TXN_RECORD;
    }

    /** Whether a client of the KV API may read or write {@code key}. */
    public static boolean isUserKey(byte[] key) {
        return compare(key, USER_MIN) >= 0 && compare(key, MAX) < 0;
    }

    /** Whether a range may be split at {@code key} (the first range keeps the meta span). */
    public static boolean isValidSplitKey(byte[] key) {
        return compare(key, META_MAX) >= 0 && compare(key, MAX) < 0;
    }

    /** The smallest key greater than {@code key}. */
    public static byte[] next(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /** Whether {@code key} lies in {@code [start, end)}. */
    public static boolean contains(byte[] start, byte[] end, byte[] key) {
        return compare(start, key) <= 0 && compare(key, end) < 0;
    }

    /** Whether {@code [spanStart, spanEnd)} lies within {@code [start, end)}. */
    public static boolean containsSpan(byte[] start, byte[] end, byte[] spanStart, byte[] spanEnd) {
        return compare(start, spanStart) <= 0 && compare(spanEnd, end) <= 0 && compare(spanStart, spanEnd) < 0;
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Printable ASCII as is, other bytes as \xNN; for messages and status pages. */
    public static String pretty(byte[] key) {
        if (key.length == 0) {
            return "/Min";
        }
        if (Arrays.equals(key, MAX)) {
            return "/Max";
        }
        StringBuilder sb = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (byte b : key) {
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append("\\x").append(hex.toHexDigits(b));
            }
        }
        return sb.toString();
    }
}
