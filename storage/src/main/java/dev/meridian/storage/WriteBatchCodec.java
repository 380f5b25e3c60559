package dev.meridian.storage;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The portable encoding of a write batch, identical for every engine.
 *
 * <pre>
 *   batch  := magic(0x4D 'M') version(1) count(varint) op* crc32c(4, big-endian, over all before)
 *   op     := kind(1) space(1) keyLen(varint) key valueLen(varint) value   (DELETE: valueLen = 0)
 * </pre>
 *
 * The trailing checksum means a batch damaged in a Raft log or on the wire is refused whole
 * instead of half applied.
 */
public final class WriteBatchCodec {
    private static final int MAGIC = 0x4D;
    private static final int VERSION = 1;

    private WriteBatchCodec() {
    }

    /** Encodes {@code ops} in order. */
    public static byte[] encode(List<BatchOp> ops) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(MAGIC);
        out.write(VERSION);
        writeVarint(out, ops.size());
        for (BatchOp op : ops) {
            out.write(op.kind().ordinal());
            out.write(op.space().ordinal());
            writeVarint(out, op.key().length);
            out.writeBytes(op.key());
            byte[] value = op.value() == null ? new byte[0] : op.value();
            writeVarint(out, value.length);
            out.writeBytes(value);
        }
        CRC32C crc = new CRC32C();
        byte[] body = out.toByteArray();
        crc.update(body);
        int sum = (int) crc.getValue();
        out.write(sum >>> 24);
        out.write(sum >>> 16);
        out.write(sum >>> 8);
        out.write(sum);
        return out.toByteArray();
    }

    /**
     * Decodes a batch produced by {@link #encode}.
     *
     * @throws CorruptionException if the bytes are truncated, damaged or of an unknown version
     */
    public static List<BatchOp> decode(byte[] encoded) {
        if (encoded.length < 2 + 1 + 4) {
            throw new CorruptionException("encoded write batch too short (" + encoded.length + " bytes)", null);
        }
        CRC32C crc = new CRC32C();
        crc.update(encoded, 0, encoded.length - 4);
        int expected = ByteBuffer.wrap(encoded, encoded.length - 4, 4).getInt();
        if ((int) crc.getValue() != expected) {
            throw new CorruptionException("encoded write batch fails its checksum", null);
        }
        ByteBuffer in = ByteBuffer.wrap(encoded, 0, encoded.length - 4);
        try {
            if ((in.get() & 0xFF) != MAGIC) {
                throw new CorruptionException("not an encoded write batch", null);
            }
            int version = in.get() & 0xFF;
            if (version != VERSION) {
                throw new CorruptionException("unknown write batch version " + version, null);
            }
            int count = readVarint(in);
            List<BatchOp> ops = new ArrayList<>(Math.min(count, 1024));
            BatchOp.Kind[] kinds = BatchOp.Kind.values();
            KeySpace[] spaces = KeySpace.values();
            for (int i = 0; i < count; i++) {
                int kind = in.get() & 0xFF;
                int space = in.get() & 0xFF;
                if (kind >= kinds.length || space >= spaces.length) {
                    throw new CorruptionException("bad operation header in write batch", null);
                }
                byte[] key = readBytes(in);
                byte[] value = readBytes(in);
                BatchOp.Kind k = kinds[kind];
                if (k == BatchOp.Kind.DELETE && value.length != 0) {
                    // The encoding is canonical: a deletion carries no value.
                    throw new CorruptionException("deletion with a value in write batch", null);
                }
                ops.add(new BatchOp(k, spaces[space], key, k == BatchOp.Kind.DELETE ? null : value));
            }
            if (in.hasRemaining()) {
                throw new CorruptionException("trailing bytes in write batch", null);
            }
            return ops;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptionException("truncated write batch", null);
        }
    }

    private static byte[] readBytes(ByteBuffer in) {
        int len = readVarint(in);
        if (len < 0 || len > in.remaining()) {
            throw new CorruptionException("bad length in write batch", null);
        }
        byte[] b = new byte[len];
        in.get(b);
        return b;
    }

    private static void writeVarint(ByteArrayOutputStream out, int v) {
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static int readVarint(ByteBuffer in) {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.get() & 0xFF;
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new CorruptionException("varint too long in write batch", null);
    }
}
