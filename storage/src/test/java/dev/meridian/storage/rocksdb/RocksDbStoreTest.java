package dev.meridian.storage.rocksdb;

import dev.meridian.storage.Durability;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineSnapshot;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.StoreOpenException;
import dev.meridian.storage.WriteBatch;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RocksDB engine's store directory, persistence and configuration. */
class RocksDbStoreTest {
    private static final RocksDbConfig CONFIG = RocksDbEngineTest.TEST_CONFIG;

    @TempDir
    Path tempDir;

    private static RocksDbEngine open(Path dir) {
        return RocksDbEngine.open(dir, CONFIG, OpenTelemetry.noop());
    }

    private static byte[] s(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void put(RocksDbEngine engine, KeySpace space, String key, String value, Durability d) {
        try (WriteBatch batch = engine.newWriteBatch()) {
            batch.put(space, s(key), s(value));
            engine.write(batch, d);
        }
    }

    /** Every file under {@code dir} with its size and modification time. */
    private static TreeMap<String, String> fingerprint(Path dir) throws IOException {
        TreeMap<String, String> files = new TreeMap<>();
        if (!Files.exists(dir)) {
            return files;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                files.put(dir.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis()
                        + (Files.isRegularFile(p) ? ":" + java.util.Arrays.hashCode(Files.readAllBytes(p)) : ""));
            }
        }
        return files;
    }

    private void assertRefusedUnchanged(Path dir, StoreOpenException.Reason reason, String... messageParts)
            throws IOException {
        TreeMap<String, String> before = fingerprint(dir);
        assertThatThrownBy(() -> open(dir))
                .isInstanceOfSatisfying(StoreOpenException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.path()).isEqualTo(dir.toAbsolutePath());
                })
                .hasMessageContainingAll(messageParts);
        assertThat(fingerprint(dir)).isEqualTo(before);
    }

    private Path closedStore(String name) {
        Path dir = tempDir.resolve(name);
        try (RocksDbEngine engine = open(dir)) {
            put(engine, KeySpace.MVCC, "k", "v", Durability.SYNCED);
        }
        return dir;
    }

    @Test
    void syncedAndUnsyncedWritesSurviveCloseAndReopenInEveryKeySpace() {
        Path dir = tempDir.resolve("store");
        try (RocksDbEngine engine = open(dir)) {
            for (KeySpace space : KeySpace.values()) {
                put(engine, space, "synced", space.name(), Durability.SYNCED);
                put(engine, space, "unsynced", space.name(), Durability.UNSYNCED);
            }
            try (WriteBatch batch = engine.newWriteBatch()) {
                batch.deleteRange(KeySpace.LOCAL, s("a"), s("z"));
                engine.write(batch, Durability.SYNCED);
            }
        }
        try (RocksDbEngine engine = open(dir)) {
            for (KeySpace space : KeySpace.values()) {
                byte[] expected = space == KeySpace.LOCAL ? null : s(space.name());
                assertThat(engine.get(space, s("synced"))).isEqualTo(expected);
                assertThat(engine.get(space, s("unsynced"))).isEqualTo(expected);
            }
        }
    }

    @Test
    void aMissingOrEmptyDirectoryBecomesANewStoreWithAMarker() throws IOException {
        Path missing = tempDir.resolve("a/b/missing");
        Path empty = Files.createDirectories(tempDir.resolve("empty"));
        Path halfCreated = Files.createDirectories(tempDir.resolve("half"));
        Files.writeString(halfCreated.resolve(StoreDirectory.MARKER_TMP), "partial");
        for (Path dir : List.of(missing, empty, halfCreated)) {
            try (RocksDbEngine engine = open(dir)) {
                put(engine, KeySpace.MVCC, "k", "v", Durability.SYNCED);
            }
            assertThat(Files.readString(dir.resolve(StoreDirectory.MARKER)))
                    .isEqualTo("meridian-store\nformat-version=1\ncrc32c=" + crcOf("meridian-store\nformat-version=1\n")
                            + "\n");
            assertThat(dir.resolve("CURRENT")).exists();
            assertThat(dir.resolve(StoreDirectory.MARKER_TMP)).doesNotExist();
        }
    }

    private static String crcOf(String text) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    @Test
    void aDirectoryWithOtherFilesIsNotAStoreAndIsLeftAlone() throws IOException {
        Path dir = Files.createDirectories(tempDir.resolve("photos"));
        Files.writeString(dir.resolve("holiday.jpg"), "not a database");
        Files.createDirectories(dir.resolve("more"));
        assertRefusedUnchanged(dir, StoreOpenException.Reason.NOT_A_STORE, "no MERIDIAN_STORE marker");
        Path file = Files.writeString(tempDir.resolve("file"), "x");
        assertRefusedUnchanged(file, StoreOpenException.Reason.NOT_A_STORE, "not a directory");
    }

    @Test
    void aRocksDbDirectoryWithoutOurMarkerIsNotAStore() throws IOException {
        Path dir = closedStore("foreign");
        Files.delete(dir.resolve(StoreDirectory.MARKER));
        assertRefusedUnchanged(dir, StoreOpenException.Reason.NOT_A_STORE, "not a Meridian store");
    }

    @Test
    void anotherFormatVersionIsRefusedNamingBothVersions() throws IOException {
        Path dir = closedStore("future");
        Files.writeString(dir.resolve(StoreDirectory.MARKER), StoreDirectory.markerText(7));
        assertRefusedUnchanged(dir, StoreOpenException.Reason.INCOMPATIBLE_VERSION, "format version 7",
                "format version 1");
    }

    @Test
    void aDamagedMarkerIsCorrupt() throws IOException {
        Path dir = closedStore("damaged");
        Path marker = dir.resolve(StoreDirectory.MARKER);
        String good = Files.readString(marker);
        List<String> damaged = List.of(
                good.replace("format-version=1", "format-version=2"),
                good.substring(0, good.length() - 3),
                "",
                good.replace("meridian-store", "meridian-stork"),
                good.replace("format-version=1", "format-version=x"));
        for (String text : damaged) {
            Files.writeString(marker, text);
            assertRefusedUnchanged(dir, StoreOpenException.Reason.CORRUPT, "marker");
        }
        Files.writeString(marker, good);
        try (RocksDbEngine engine = open(dir)) {
            assertThat(engine.get(KeySpace.MVCC, s("k"))).isEqualTo(s("v"));
        }
    }

    @Test
    void aStoreThatLostItsDatabaseIsCorrupt() throws IOException {
        Path dir = closedStore("lost");
        Files.delete(dir.resolve("CURRENT"));
        assertRefusedUnchanged(dir, StoreOpenException.Reason.CORRUPT, "CURRENT");
    }

    @Test
    void rocksDbsOwnRefusalBecomesAStoreOpenExceptionWithItsStatus() throws IOException {
        Path dir = closedStore("broken-manifest");
        Files.writeString(dir.resolve("CURRENT"), "MANIFEST-999999\n");
        assertThatThrownBy(() -> open(dir))
                .isInstanceOfSatisfying(StoreOpenException.class,
                        e -> assertThat(e.reason())
                                .isIn(StoreOpenException.Reason.IO, StoreOpenException.Reason.CORRUPT))
                .hasMessageContaining("RocksDB refused to open it")
                .hasMessageContaining("MANIFEST-999999");
        Path garbled = closedStore("garbled-current");
        Files.writeString(garbled.resolve("CURRENT"), "not a manifest name");
        assertThatThrownBy(() -> open(garbled))
                .isInstanceOfSatisfying(StoreOpenException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreOpenException.Reason.CORRUPT))
                .hasMessageContaining("Corruption");
    }

    @Test
    void aSecondOpenOfAnOpenStoreIsRefusedWithoutTouchingIt() throws IOException {
        Path dir = tempDir.resolve("busy");
        try (RocksDbEngine first = open(dir)) {
            put(first, KeySpace.MVCC, "k", "v", Durability.SYNCED);
            assertRefusedUnchanged(dir, StoreOpenException.Reason.IO, "in use");
            assertThat(first.get(KeySpace.MVCC, s("k"))).isEqualTo(s("v"));
        }
        try (RocksDbEngine again = open(dir)) {
            assertThat(again.get(KeySpace.MVCC, s("k"))).isEqualTo(s("v"));
        }
    }

    @Test
    void aStoreOpenInAnotherProcessIsRefusedWithoutTouchingIt() throws Exception {
        Path dir = closedStore("other-process");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), StoreHolder.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()))) {
            assertThat(out.readLine()).isEqualTo("OPEN");
            assertRefusedUnchanged(dir, StoreOpenException.Reason.IO, "in use");
            holder.getOutputStream().write('\n');
            holder.getOutputStream().flush();
            assertThat(holder.waitFor()).isZero();
        } finally {
            holder.destroy();
        }
        try (RocksDbEngine engine = open(dir)) {
            assertThat(engine.get(KeySpace.MVCC, s("k"))).isEqualTo(s("v"));
        }
    }

    @Test
    void corruptDataOnDiskIsReportedAsCorruptionWithRocksDbsStatus() throws IOException {
        Path dir = tempDir.resolve("rot");
        try (RocksDbEngine engine = open(dir)) {
            for (int i = 0; i < 100; i++) {
                put(engine, KeySpace.MVCC, "key" + i, "value" + i, Durability.UNSYNCED);
            }
            engine.flush();
        }
        Path sst;
        try (Stream<Path> files = Files.list(dir)) {
            sst = files.filter(p -> p.toString().endsWith(".sst")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(sst);
        for (int i = 16; i < 48; i++) {
            bytes[i] ^= (byte) 0x5A;
        }
        Files.write(sst, bytes);
        try (RocksDbEngine engine = open(dir)) {
            assertThatThrownBy(() -> engine.get(KeySpace.MVCC, s("key7")))
                    .isInstanceOfSatisfying(dev.meridian.storage.CorruptionException.class,
                            e -> assertThat(e.key()).isEqualTo(s("key7")))
                    .hasMessageContaining("Corruption");
            try (EngineIterator it = engine.iterator(KeySpace.MVCC, null, null)) {
                assertThatThrownBy(it::seekToFirst).isInstanceOf(dev.meridian.storage.CorruptionException.class);
            }
        }
    }

    @Test
    void aSharedBlockCacheServesEveryEngineAndTheConfigReachesRocksDb() throws IOException {
        try (RocksDbBlockCache cache = RocksDbBlockCache.lru(16L << 20)) {
            RocksDbConfig shared = CONFIG.withSharedBlockCache(cache);
            Path dirA = tempDir.resolve("a");
            Path dirB = tempDir.resolve("b");
            try (RocksDbEngine a = RocksDbEngine.open(dirA, shared, OpenTelemetry.noop());
                 RocksDbEngine b = RocksDbEngine.open(dirB, shared, OpenTelemetry.noop())) {
                for (RocksDbEngine engine : List.of(a, b)) {
                    for (int i = 0; i < 200; i++) {
                        put(engine, KeySpace.MVCC, "key" + i, "value" + i, Durability.UNSYNCED);
                    }
                    engine.flush();
                    assertThat(engine.property(KeySpace.MVCC, "rocksdb.block-cache-capacity"))
                            .isEqualTo(String.valueOf(16L << 20));
                }
                long before = cache.usageBytes();
                for (RocksDbEngine engine : List.of(a, b)) {
                    assertThat(engine.get(KeySpace.MVCC, s("key7"))).isEqualTo(s("value7"));
                    long usage = Long.parseLong(engine.property(KeySpace.MVCC, "rocksdb.block-cache-usage"));
                    assertThat(usage).isGreaterThan(0);
                }
                assertThat(cache.usageBytes()).isGreaterThan(before);
            }
            String options = latestOptionsFile(dirA);
            assertThat(options).contains("compression=kLZ4Compression", "bottommost_compression=kZSTD",
                    "write_buffer_size=" + (4L << 20), "bloomfilter:10");
        }
        try (RocksDbEngine own = open(tempDir.resolve("own"))) {
            assertThat(own.property(KeySpace.LOCAL, "rocksdb.block-cache-capacity"))
                    .isEqualTo(String.valueOf(CONFIG.blockCacheBytes()));
        }
    }

    private static String latestOptionsFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            Path latest = files.filter(p -> p.getFileName().toString().startsWith("OPTIONS-"))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
            return Files.readString(latest);
        }
    }

    @Test
    void snapshotsAreReleasedWhenTheyAndTheirIteratorsClose() {
        try (RocksDbEngine engine = open(tempDir.resolve("snap"))) {
            put(engine, KeySpace.MVCC, "k", "v", Durability.UNSYNCED);
            assertThat(engine.property(KeySpace.MVCC, "rocksdb.num-snapshots")).isEqualTo("0");
            EngineSnapshot snapshot = engine.newSnapshot();
            EngineIterator it = snapshot.iterator(KeySpace.MVCC, null, null);
            assertThat(engine.property(KeySpace.MVCC, "rocksdb.num-snapshots")).isEqualTo("1");
            snapshot.close();
            assertThat(engine.property(KeySpace.MVCC, "rocksdb.num-snapshots")).isEqualTo("1");
            it.seekToFirst();
            assertThat(it.value()).isEqualTo(s("v"));
            it.close();
            assertThat(engine.property(KeySpace.MVCC, "rocksdb.num-snapshots")).isEqualTo("0");
        }
    }
}
