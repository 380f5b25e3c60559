package dev.meridian.benchmarks.storage;

import dev.meridian.storage.Durability;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.WriteBatch;
import dev.meridian.storage.mvcc.Mvcc;
import dev.meridian.storage.mvcc.MvccKeyCodec;
import dev.meridian.storage.mvcc.WriteOptions;
import dev.meridian.storage.mvcc.WriteResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.util.concurrent.TimeUnit;

/**
 * Where the time of an MVCC put goes: a raw put, a raw read-then-put (what any MVCC write must
 * do: look for an intent and a newer version first) on a store without prefix filters, the
 * same through Meridian's engine (whose seek within one key's entries can use prefix bloom
 * filters), and the whole MVCC put. The gap between the first two is the price of a seek that
 * no filter can shorten.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class PutLadderBenchmark {

    @State(Scope.Thread)
    public static class RawIterator {
        RocksIterator it;

        @Setup
        public void open(StorageFixture f) {
            it = f.raw.newIterator();
        }

        @TearDown
        public void close() {
            it.close();
        }
    }

    @Benchmark
    public void a_rawPut(StorageFixture f, StorageBenchmark.Cursor c) throws RocksDBException {
        f.raw.put(f.rawWriteOptions, StorageFixture.key(c.nextWrite++), f.value);
    }

    @Benchmark
    public void b_rawSeekThenPut(StorageFixture f, StorageBenchmark.Cursor c, RawIterator r, Blackhole bh)
            throws RocksDBException {
        byte[] key = StorageFixture.key(c.nextWrite++);
        r.it.refresh();
        r.it.seek(key);
        bh.consume(r.it.isValid());
        f.raw.put(f.rawWriteOptions, key, f.value);
    }

    /** A probe of the key's own entries, as an MVCC put makes: the engine seeks in prefix mode. */
    @Benchmark
    public void c_engineSeekThenBatchWrite(StorageFixture f, StorageBenchmark.Cursor c, Blackhole bh) {
        byte[] key = StorageFixture.key(c.nextWrite++);
        byte[] start = MvccKeyCodec.lockKey(key);
        try (var it = f.engine.probe(KeySpace.MVCC, start, MvccKeyCodec.keyEnd(key))) {
            it.seek(start);
            bh.consume(it.valid());
        }
        try (WriteBatch batch = f.engine.newWriteBatch()) {
            batch.put(KeySpace.MVCC, key, f.value);
            f.engine.write(batch, Durability.UNSYNCED);
        }
    }

    @Benchmark
    public WriteResult d_mvccPut(StorageFixture f, StorageBenchmark.Cursor c) {
        long n = c.nextWrite++;
        try (ReadWriteBatch batch = f.engine.newReadWriteBatch()) {
            WriteResult r = Mvcc.put(batch, f.stats, StorageFixture.key(n), f.value,
                    WriteOptions.at(StorageFixture.writeTimestamp(n)));
            f.engine.write(batch, Durability.UNSYNCED);
            return r;
        }
    }
}
