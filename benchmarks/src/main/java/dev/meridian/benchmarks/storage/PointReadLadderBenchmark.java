package dev.meridian.benchmarks.storage;

import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.mvcc.GetResult;
import dev.meridian.storage.mvcc.Mvcc;
import dev.meridian.storage.mvcc.MvccKeyCodec;
import dev.meridian.storage.mvcc.ReadOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

import java.util.concurrent.TimeUnit;

/**
 * Where the time of an MVCC point read goes, one step at a time: a raw RocksDB get, a raw
 * iterator seek, the same with bounds, Meridian's engine iterator, and the whole MVCC read.
 * The gaps between neighbours show what each layer costs, so an optimization can be aimed and
 * its gain shown here.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class PointReadLadderBenchmark {

    @Benchmark
    public byte[] a_rawGet(StorageFixture f, StorageBenchmark.Cursor c) throws RocksDBException {
        return f.raw.get(c.randomExistingKey());
    }

    @Benchmark
    public void b_rawIteratorSeek(StorageFixture f, StorageBenchmark.Cursor c, Blackhole bh) {
        try (RocksIterator it = f.raw.newIterator()) {
            it.seek(c.randomExistingKey());
            bh.consume(it.key());
            bh.consume(it.value());
        }
    }

    /** One native iterator per thread, refreshed to the latest state before every use. */
    @org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class ReusedIterator {
        RocksIterator it;

        @org.openjdk.jmh.annotations.Setup
        public void open(StorageFixture f) {
            it = f.raw.newIterator();
        }

        @org.openjdk.jmh.annotations.TearDown
        public void close() {
            it.close();
        }
    }

    @Benchmark
    public void b2_rawReusedIteratorRefreshSeek(StorageFixture f, StorageBenchmark.Cursor c, ReusedIterator r,
                                                Blackhole bh) throws RocksDBException {
        r.it.refresh();
        r.it.seek(c.randomExistingKey());
        bh.consume(r.it.key());
        bh.consume(r.it.value());
    }

    @Benchmark
    public void c_rawBoundedIteratorSeek(StorageFixture f, StorageBenchmark.Cursor c, Blackhole bh) {
        byte[] key = c.randomExistingKey();
        byte[] end = key.clone();
        end[end.length - 1]++;
        try (Slice lower = new Slice(key); Slice upper = new Slice(end);
             org.rocksdb.ReadOptions options = new org.rocksdb.ReadOptions()
                     .setIterateLowerBound(lower).setIterateUpperBound(upper);
             RocksIterator it = f.raw.newIterator(options)) {
            it.seek(key);
            bh.consume(it.key());
            bh.consume(it.value());
        }
    }

    @Benchmark
    public void d_engineIteratorSeek(StorageFixture f, StorageBenchmark.Cursor c, Blackhole bh) {
        byte[] key = c.randomExistingKey();
        byte[] lockKey = MvccKeyCodec.lockKey(key);
        try (EngineIterator it = f.engine.iterator(KeySpace.MVCC, lockKey, MvccKeyCodec.keyEnd(key))) {
            it.seek(lockKey);
            if (it.valid()) {
                bh.consume(it.key());
                bh.consume(it.value());
            }
        }
    }

    @Benchmark
    public GetResult e_mvccGet(StorageFixture f, StorageBenchmark.Cursor c) {
        return Mvcc.get(f.engine, c.randomExistingKey(), ReadOptions.at(StorageFixture.READ_TS));
    }
}
