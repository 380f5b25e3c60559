package dev.meridian.storage;

import org.junit.jupiter.api.AfterEach;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;


/**
 * Hooks and helpers of the engine contract suite ({@link EngineContractTest}); later modules
 * reuse the helpers through the storage test-jar.
 */
public abstract class EngineContractSupport {

    private final List<AutoCloseable> opened = new ArrayList<>();

    /** A new, empty engine enforcing {@code limits}. The suite closes it after each test. */
    protected abstract Engine newEngine(EngineLimits limits);

    /** Writes buffered data to its final form (RocksDB: memtables to files); a no-op elsewhere. */
    protected void flush(Engine engine) {
    }

    protected final Engine engine() {
        return engine(EngineLimits.DEFAULT);
    }

    protected final Engine engine(EngineLimits limits) {
        Engine e = newEngine(limits);
        opened.add(e);
        return e;
    }

    /** Registers something for closing after the test (e.g. a second engine). */
    protected final <T extends AutoCloseable> T closeLater(T resource) {
        opened.add(resource);
        return resource;
    }

    @AfterEach
    final void closeEngines() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    protected static byte[] b(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        return out;
    }

    protected static byte[] s(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    protected static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    protected static void write(Engine engine, Consumer<WriteBatch> ops) {
        try (WriteBatch batch = engine.newWriteBatch()) {
            ops.accept(batch);
            engine.write(batch, Durability.UNSYNCED);
        }
    }

    /** A fresh engine holding each of {@code mvccKeys} in MVCC, with its upper-cased form as value. */
    protected final Engine engineWith(String... mvccKeys) {
        Engine engine = engine();
        write(engine, w -> {
            for (String k : mvccKeys) {
                w.put(KeySpace.MVCC, s(k), s(k.toUpperCase()));
            }
        });
        return engine;
    }

    protected static void put(Engine engine, KeySpace space, String key, String value) {
        write(engine, w -> w.put(space, s(key), s(value)));
    }

    /** Every key of {@code space} in {@code [lower, upper)} as {@code key=value}, in the given direction. */
    protected static List<String> scan(EngineReader reader, KeySpace space, byte[] lower, byte[] upper,
                                       boolean reverse) {
        List<String> out = new ArrayList<>();
        try (EngineIterator it = reader.iterator(space, lower, upper)) {
            if (reverse) {
                for (it.seekToLast(); it.valid(); it.prev()) {
                    out.add(text(it.key()) + "=" + text(it.value()));
                }
            } else {
                for (it.seekToFirst(); it.valid(); it.next()) {
                    out.add(text(it.key()) + "=" + text(it.value()));
                }
            }
        }
        return out;
    }

    protected static List<String> scan(EngineReader reader, KeySpace space) {
        return scan(reader, space, null, null, false);
    }

    /** The whole state of an engine, every key space, hex-encoded. */
    protected static List<String> dump(EngineReader reader) {
        List<String> out = new ArrayList<>();
        for (KeySpace space : KeySpace.values()) {
            try (EngineIterator it = reader.iterator(space, null, null)) {
                for (it.seekToFirst(); it.valid(); it.next()) {
                    out.add(space + ":" + hex(it.key()) + "=" + hex(it.value()));
                }
            }
        }
        return out;
    }

    protected static String text(byte[] bytes) {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The key the iterator is on, or "-" when it is not valid. */
    protected static String at(EngineIterator it) {
        return it.valid() ? text(it.key()) : "-";
    }

    /** Appends the same operations to any batch; used to compare engines. */
    protected static void mixedOps(EngineWriter w) {
        w.put(KeySpace.MVCC, s("a"), s("1"));
        w.put(KeySpace.MVCC, s("b"), s("2"));
        w.put(KeySpace.MVCC, s("c"), s("3"));
        w.put(KeySpace.LOCAL, s("b"), s("local"));
        w.put(KeySpace.RAFT_LOG, b(0, 0, 1), b(0xFF));
        w.delete(KeySpace.MVCC, s("a"));
        w.deleteRange(KeySpace.MVCC, s("b"), s("c"));
        w.deleteRange(KeySpace.MVCC, s("z"), s("y"));
        w.put(KeySpace.MVCC, s("d"), new byte[0]);
    }

    /** Re-encodes {@code encoded} with a different version byte and a valid checksum. */
    protected static byte[] withVersion(byte[] encoded, int version) {
        byte[] copy = encoded.clone();
        copy[1] = (byte) version;
        CRC32C crc = new CRC32C();
        crc.update(copy, 0, copy.length - 4);
        ByteBuffer.wrap(copy, copy.length - 4, 4).putInt((int) crc.getValue());
        return copy;
    }
}
