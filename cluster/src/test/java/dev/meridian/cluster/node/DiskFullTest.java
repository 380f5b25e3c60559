package dev.meridian.cluster.node;

import dev.meridian.cluster.kv.KvException;
import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineLimits;
import dev.meridian.storage.EngineSnapshot;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.StorageException;
import dev.meridian.storage.WriteBatch;
import dev.meridian.storage.rocksdb.RocksDbConfig;
import dev.meridian.storage.rocksdb.RocksDbEngine;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A disk that fills up: every engine write fails from some moment on, as RocksDB's do with
 * "No space left on device". The node must stop by itself without acknowledging the writes that
 * could not be made durable, and its store must open again with every acknowledged write.
 */
class DiskFullTest {

    @TempDir
    Path dir;

    /** A RocksDB engine whose writes fail once {@link #full} is set. */
    static final class FillingEngine implements Engine {
        final Engine inner;
        final AtomicBoolean full;

        FillingEngine(Engine inner, AtomicBoolean full) {
            this.inner = inner;
            this.full = full;
        }

        private void check() {
            if (full.get()) {
                throw new StorageException("IO error: No space left on device (injected)");
            }
        }

        @Override
        public byte[] get(KeySpace space, byte[] key) {
            return inner.get(space, key);
        }

        @Override
        public EngineIterator iterator(KeySpace space, byte[] lowerBound, byte[] upperBound) {
            return inner.iterator(space, lowerBound, upperBound);
        }

        @Override
        public WriteBatch newWriteBatch() {
            return inner.newWriteBatch();
        }

        @Override
        public ReadWriteBatch newReadWriteBatch() {
            return inner.newReadWriteBatch();
        }

        @Override
        public void write(WriteBatch batch, Durability durability) {
            check();
            inner.write(batch, durability);
        }

        @Override
        public void writeEncoded(byte[] encodedBatch, Durability durability) {
            check();
            inner.writeEncoded(encodedBatch, durability);
        }

        @Override
        public EngineSnapshot newSnapshot() {
            return inner.newSnapshot();
        }

        @Override
        public long approximateSize(KeySpace space, byte[] start, byte[] end) {
            return inner.approximateSize(space, start, end);
        }

        @Override
        public EngineLimits limits() {
            return inner.limits();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    static byte[] key(int i) {
        return ("user/disk/" + i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFullDiskStopsTheNodeAndItsStoreReopensWithEveryAcknowledgedWrite() throws Exception {
        AtomicBoolean full = new AtomicBoolean();
        NodeConfig.EngineFactory filling = (d, cache, otel) ->
                new FillingEngine(RocksDbEngine.open(d, RocksDbConfig.DEFAULT.withBlockCacheBytes(cache), otel), full);
        int acknowledged = 0;
        try (LocalCluster c = new LocalCluster(dir, x -> x.withEngines(filling)).start(1)) {
            for (int i = 0; i < 50; i++) {
                c.kv(0).put(key(i), new byte[] {(byte) i}).get(10, TimeUnit.SECONDS);
                acknowledged++;
            }
            full.set(true);
            try {
                c.kv(0).put(key(1000), new byte[] {1}).get(15, TimeUnit.SECONDS);
                fail("a write was acknowledged although the disk is full");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(KvException.class);
            } catch (TimeoutException e) {
                // Also acceptable: never acknowledged.
            }
            LocalCluster.await(Duration.ofSeconds(20), () -> c.node(0).state() == Node.State.STOPPED,
                    "the node to stop itself");
            assertThat(c.node(0).failure()).as("why it stopped").isNotNull();
            assertThat(c.node(0).failure().toString()).contains("No space left on device");
        }
        // The disk has room again: the store opens, and holds every acknowledged write.
        full.set(false);
        try (Node node = Node.start(LocalCluster.testConfig(dir.resolve("n0"), java.util.List.of()), OpenTelemetry.noop())) {
            LocalCluster.await(Duration.ofSeconds(20), () -> node.state() == Node.State.RUNNING, "the node to restart");
            for (int i = 0; i < acknowledged; i++) {
                assertThat(node.kv().orElseThrow().get(key(i)).get(10, TimeUnit.SECONDS)).as("key " + i)
                        .hasValueSatisfying(v -> assertThat(v).hasSize(1));
            }
        }
    }
}
