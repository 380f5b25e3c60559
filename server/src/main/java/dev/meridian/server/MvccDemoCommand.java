package dev.meridian.server;

import dev.meridian.storage.Durability;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.mvcc.GetResult;
import dev.meridian.storage.mvcc.LockUpdate;
import dev.meridian.storage.mvcc.Mvcc;
import dev.meridian.storage.mvcc.MvccStats;
import dev.meridian.storage.mvcc.ReadOptions;
import dev.meridian.storage.mvcc.ScanLimits;
import dev.meridian.storage.mvcc.ScanResult;
import dev.meridian.storage.mvcc.Timestamp;
import dev.meridian.storage.mvcc.TxnMeta;
import dev.meridian.storage.mvcc.TxnStatus;
import dev.meridian.storage.mvcc.WriteOptions;
import dev.meridian.storage.mvcc.WriteResult;
import dev.meridian.storage.rocksdb.RocksDbConfig;
import dev.meridian.storage.rocksdb.RocksDbEngine;
import io.opentelemetry.api.OpenTelemetry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code meridian debug mvcc-demo}: a guided tour of the storage engine on a real RocksDB store.
 * Every step prints what it did and what MVCC answered; the last step reopens the store to show
 * that what was written is still there.
 */
@Command(name = "mvcc-demo",
        description = {"Show the MVCC storage engine at work on a RocksDB store: versions, reads at",
                "past timestamps, tombstones, a transaction's intent, uncertainty, write-too-old,",
                "intent resolution, garbage collection, statistics, and recovery after reopening.", "",
                "Examples:", "  meridian debug mvcc-demo",
                "  meridian debug mvcc-demo --store /tmp/demo-store --keep"})
final class MvccDemoCommand implements Runnable {

    @Option(names = "--store", paramLabel = "DIR",
            description = "Store directory to use; it must be empty or a Meridian store "
                    + "(default: a new temporary directory, deleted afterwards).")
    Path store;

    @Option(names = "--keep", description = "Keep the temporary store directory instead of deleting it.")
    boolean keep;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The start of the whole key space (the end is unbounded). */
    private static final byte[] EVERYTHING = new byte[0];

    private PrintWriter out;
    private final MvccStats stats = new MvccStats();

    @Override
    public void run() {
        out = spec.commandLine().getOut();
        boolean temporary = store == null;
        Path dir = temporary ? createTempDir() : store;
        try {
            out.println("Meridian MVCC demo on a RocksDB store at " + dir);
            out.println("Timestamps are wall,logical; keys and values are text.");
            try (RocksDbEngine engine = RocksDbEngine.open(dir, RocksDbConfig.DEFAULT, OpenTelemetry.noop())) {
                requireEmpty(engine, dir);
                tour(engine);
            }
            step("Reopen the store: every synced write is still there");
            try (RocksDbEngine engine = RocksDbEngine.open(dir, RocksDbConfig.DEFAULT, OpenTelemetry.noop())) {
                read(engine, "banana", ts(60), null);
                MvccStats recomputed = Mvcc.computeStats(engine, EVERYTHING, null);
                out.println("  statistics recomputed after reopening equal those kept while writing: "
                        + recomputed.equals(stats));
            }
        } finally {
            if (temporary && !keep) {
                deleteRecursively(dir);
            } else {
                out.println("The store is kept at " + dir);
            }
            out.flush();
        }
    }

    private void tour(RocksDbEngine engine) {
        step("Non-transactional writes: apple=red at 10, apple=green at 20");
        write(engine, "put apple=red @10", b -> Mvcc.put(b, stats, bytes("apple"), bytes("red"), WriteOptions.at(ts(10))));
        write(engine, "put apple=green @20", b -> Mvcc.put(b, stats, bytes("apple"), bytes("green"), WriteOptions.at(ts(20))));
        step("Reads see the version that was newest at their timestamp");
        read(engine, "apple", ts(15), null);
        read(engine, "apple", ts(25), null);
        read(engine, "apple", ts(5), null);

        step("A delete writes a tombstone; older versions stay readable");
        write(engine, "delete apple @30", b -> Mvcc.delete(b, stats, bytes("apple"), WriteOptions.at(ts(30))));
        read(engine, "apple", ts(35), null);
        read(engine, "apple", ts(25), null);

        step("Uncertainty: a read at 15 whose clock may lag by up to 7 cannot order itself against the version at 20");
        read(engine, "apple", ts(15), ts(22));

        step("Write-too-old: a write at 25 below the tombstone at 30 must move above it");
        write(engine, "put apple=blue @25", b -> Mvcc.put(b, stats, bytes("apple"), bytes("blue"), WriteOptions.at(ts(25))));

        TxnMeta txn = TxnMeta.of(new UUID(0, 0xA), ts(40));
        step("Transaction A writes an intent: banana=yellow @40");
        write(engine, "put banana=yellow (txn A)", b -> Mvcc.put(b, stats, bytes("banana"), bytes("yellow"), WriteOptions.txn(txn)));
        read(engine, "banana", ts(45), null);
        read(engine, "banana", ts(35), null);
        out.println("  A reads its own write:");
        print("banana", Mvcc.get(engine, bytes("banana"), ReadOptions.txn(txn, ts(40))));

        step("A commits at 50: resolving the intent turns it into a committed version at 50");
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            var outcome = Mvcc.resolveIntent(batch, stats, bytes("banana"), LockUpdate.of(txn, TxnStatus.COMMITTED, ts(50)));
            engine.write(batch, Durability.SYNCED);
            out.println("  resolve banana -> " + outcome);
        }
        read(engine, "banana", ts(45), null);
        read(engine, "banana", ts(55), null);

        step("Scan every live row at 60");
        ScanResult scan = Mvcc.scan(engine, bytes("a"), bytes("z"), ReadOptions.at(ts(60)), ScanLimits.NONE);
        scan.rows().forEach(kv -> out.println("  " + text(kv.key()) + " = " + text(kv.value()) + " @" + kv.timestamp()));

        step("Garbage collection at threshold 32 drops every version of apple: its newest at 32 is a tombstone."
                + " (A cluster serves no reads below the threshold.)");
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            var gc = Mvcc.garbageCollectRange(batch, stats, bytes("a"), bytes("z"), ts(32));
            engine.write(batch, Durability.SYNCED);
            out.println("  " + gc.versionsRemoved() + " versions removed from " + gc.keysTouched() + " keys");
        }
        read(engine, "apple", ts(25), null);

        step("Statistics, kept incrementally and recomputed from scratch");
        out.println("  incremental: " + stats);
        out.println("  recomputed:  " + Mvcc.computeStats(engine, EVERYTHING, null));
    }

    /** The tour's timestamps are fixed, so it only makes sense on a store without MVCC data. */
    private static void requireEmpty(RocksDbEngine engine, Path dir) {
        try (EngineIterator it = engine.iterator(KeySpace.MVCC, null, null)) {
            it.seekToFirst();
            if (it.valid()) {
                throw new IllegalStateException("the store at " + dir
                        + " already holds data; the demo needs a new or empty store");
            }
        }
    }

    private void write(RocksDbEngine engine, String what, Function<ReadWriteBatch, WriteResult> op) {
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            WriteResult r = op.apply(batch);
            engine.write(batch, Durability.SYNCED);
            String detail = switch (r.status()) {
                case OK -> "written at " + r.timestamp();
                case WRITE_TOO_OLD -> "nothing written; must move to " + r.timestamp();
                case LOCK_CONFLICT -> "nothing written; blocked by " + r.conflicts();
                case CONDITION_FAILED -> "nothing written; condition failed";
            };
            out.println("  " + what + " -> " + r.status() + ": " + detail);
        }
    }

    private void read(RocksDbEngine engine, String key, Timestamp at, Timestamp uncertaintyLimit) {
        ReadOptions options = uncertaintyLimit == null ? ReadOptions.at(at)
                : new ReadOptions(at, uncertaintyLimit, null, List.of());
        out.print("  get " + key + " @" + at + (uncertaintyLimit == null ? "" : " (uncertain up to " + uncertaintyLimit + ")"));
        print("", Mvcc.get(engine, bytes(key), options));
    }

    private void print(String label, GetResult r) {
        String prefix = label.isEmpty() ? " -> " : "  get " + label + " -> ";
        String detail = switch (r.status()) {
            case FOUND -> text(r.value()) + " (version @" + r.timestamp() + ")";
            case NOT_FOUND -> r.timestamp() == null ? "no version" : "deleted (tombstone @" + r.timestamp() + ")";
            case INTENT -> "blocked by the intent of txn " + r.conflict().holder().id() + " @" + r.timestamp();
            case UNCERTAIN -> "(a version @" + r.timestamp() + " may precede the read: the reader must move above it)";
        };
        out.println(prefix + r.status() + " " + detail);
    }

    private void step(String title) {
        out.println();
        out.println("== " + title);
    }

    private static Timestamp ts(long wall) {
        return Timestamp.ofWall(wall);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("meridian-mvcc-demo");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary store directory", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
