package dev.meridian.storage.mvcc;

import dev.meridian.storage.CorruptionException;
import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineLimits;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.StorageException;
import dev.meridian.testkit.Directive;
import dev.meridian.testkit.ScenarioHandler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Runs MVCC histories (src/test/resources/mvcc/*.txt) against an engine made by a factory, so
 * the same histories run on every engine implementation.
 *
 * <p>After every mutating command it prints the result, every entry of the engine and the stats,
 * and it asserts (not just prints) that the incrementally kept stats equal stats recomputed from
 * scratch, that a non-OK write left its batch empty, and that a write refused with an exception
 * left the batch reading exactly like the engine. Commands are listed in {@link #run}.
 */
public final class MvccScenarioHandler implements ScenarioHandler {

    /** A transaction as the scenario drives it. */
    private static final class Txn {
        final String name;
        final UUID id;
        final Timestamp begin;
        int epoch;
        int seq;
        int priority;
        IsolationLevel isolation = IsolationLevel.SERIALIZABLE;
        Timestamp readTs;
        Timestamp writeTs;
        List<SeqRange> ignored = List.of();

        Txn(String name, UUID id, Timestamp ts) {
            this.name = name;
            this.id = id;
            this.begin = ts;
            this.readTs = ts;
            this.writeTs = ts;
        }

        TxnMeta meta() {
            return new TxnMeta(id, epoch, writeTs, begin, seq, priority, isolation);
        }

        String describe() {
            return name + ": epoch=" + epoch + " read=" + readTs + " write=" + writeTs + " seq=" + seq
                    + (ignored.isEmpty() ? "" : " ignored=" + ignored);
        }
    }

    private final Function<EngineLimits, Engine> engines;
    private Engine engine;
    private MvccStats stats = new MvccStats();
    private final Map<String, Txn> txns = new LinkedHashMap<>();
    private final Map<UUID, String> txnNames = new LinkedHashMap<>();
    private boolean corrupted;

    /** @param engines makes a fresh engine with the given limits (one per file, and on {@code engine}) */
    public MvccScenarioHandler(Function<EngineLimits, Engine> engines) {
        this.engines = engines;
        this.engine = engines.apply(EngineLimits.DEFAULT);
    }

    @Override
    public String run(Directive d) {
        return switch (d.command()) {
            case "engine" -> newEngine(d);
            case "txn_begin" -> txnBegin(d);
            case "txn_step" -> txnUpdate(d, t -> t.seq += (int) d.longArg("n", 1));
            case "txn_seq" -> txnUpdate(d, t -> t.seq = (int) d.longArg("seq"));
            case "txn_advance" -> txnUpdate(d, t -> t.writeTs = ts(d, "ts"));
            case "txn_read_ts" -> txnUpdate(d, t -> t.readTs = ts(d, "ts"));
            case "txn_epoch" -> txnUpdate(d, t -> t.epoch = (int) d.longArg("epoch"));
            case "txn_restart" -> txnUpdate(d, t -> restart(d, t));
            case "txn_ignore" -> txnUpdate(d, t -> t.ignored = seqRanges(d.values("seqs")));
            case "put", "del", "cput", "inc", "del_range", "resolve", "resolve_range", "gc" -> mutate(d);
            case "batch" -> batch(d);
            case "get" -> get(d);
            case "scan" -> scan(d);
            case "stats" -> statsOf(d);
            case "dump" -> dump();
            case "corrupt" -> corrupt(d);
            case "move" -> move(d);
            default -> throw d.error("unknown command");
        };
    }

    @Override
    public void close() {
        engine.close();
    }

    // ---- engine and transactions -----------------------------------------------------------

    private String newEngine(Directive d) {
        engine.close();
        EngineLimits limits = new EngineLimits((int) d.longArg("max_key", EngineLimits.DEFAULT.maxKeyBytes()),
                (int) d.longArg("max_value", EngineLimits.DEFAULT.maxValueBytes()));
        engine = engines.apply(limits);
        stats = new MvccStats();
        corrupted = false;
        return "engine: max_key=" + limits.maxKeyBytes() + " max_value=" + limits.maxValueBytes();
    }

    private String txnBegin(Directive d) {
        String name = d.arg("t");
        UUID id = new UUID(0, txns.size() + 1);
        Txn t = new Txn(name, id, ts(d, "ts"));
        t.epoch = (int) d.longArg("epoch", 0);
        t.priority = (int) d.longArg("prio", 0);
        if (d.has("rc")) {
            t.isolation = IsolationLevel.READ_COMMITTED;
        }
        txns.put(name, t);
        txnNames.put(id, name);
        return t.describe();
    }

    private String txnUpdate(Directive d, java.util.function.Consumer<Txn> change) {
        Txn t = txn(d);
        change.accept(t);
        return t.describe();
    }

    private void restart(Directive d, Txn t) {
        t.epoch++;
        t.seq = 0;
        t.ignored = List.of();
        if (d.has("ts")) {
            t.readTs = ts(d, "ts");
            t.writeTs = t.readTs;
        }
    }

    private Txn txn(Directive d) {
        Txn t = txns.get(d.arg("t"));
        if (t == null) {
            throw d.error("no transaction " + d.arg("t"));
        }
        return t;
    }

    private Txn optionalTxn(Directive d) {
        return d.has("t") ? txn(d) : null;
    }

    // ---- mutations ---------------------------------------------------------------------------

    /** Runs one mutating directive in its own batch, then prints the engine and checks stats. */
    private String mutate(Directive d) {
        StringBuilder out = new StringBuilder();
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            MvccStats delta = new MvccStats();
            commit(batch, delta, apply(d, batch, delta, out));
        }
        return out.append(dump()).append(checkedStats()).toString();
    }

    /** {@code batch} with one sub-command per input line: every write sees the earlier ones. */
    private String batch(Directive d) {
        StringBuilder out = new StringBuilder();
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            MvccStats delta = new MvccStats();
            int line = d.line();
            Outcome outcome = Outcome.NOTHING;
            for (String text : d.input().split("\n")) {
                Directive sub = parse(d.file(), ++line, text);
                out.append("> ").append(text).append('\n');
                if (sub.command().equals("get") || sub.command().equals("scan")) {
                    out.append(sub.command().equals("get") ? get(sub, batch) : scan(sub, batch)).append('\n');
                    continue;
                }
                Outcome o = apply(sub, batch, delta, out);
                if (o == Outcome.REFUSED) {
                    out.append("batch: discarded\n");
                    outcome = o;
                    break;
                }
                outcome = o == Outcome.WROTE ? o : outcome;
            }
            commit(batch, delta, outcome);
        }
        return out.append(dump()).append(checkedStats()).toString();
    }

    /** What a write did to its batch. */
    private enum Outcome { WROTE, NOTHING, REFUSED }

    private void commit(ReadWriteBatch batch, MvccStats delta, Outcome outcome) {
        if (outcome == Outcome.REFUSED) {
            return; // the batch may hold writes and their compensations: dropped whole, as a caller would
        }
        if (outcome == Outcome.NOTHING) {
            check(batch.isEmpty(), "an operation that did not succeed left " + batch.count() + " ops in its batch");
            check(delta.equals(new MvccStats()), "an operation that did not succeed changed stats: " + delta);
            return;
        }
        // Through the portable encoding, as a Raft follower would apply it.
        engine.writeEncoded(batch.encode(), Durability.SYNCED);
        stats.add(delta);
    }

    /** Applies one write to {@code batch}; prints its outcome; returns whether it succeeded. */
    private Outcome apply(Directive d, ReadWriteBatch batch, MvccStats delta, StringBuilder out) {
        String name = d.command();
        List<String> before = entries(batch);
        MvccStats deltaBefore = delta.copy();
        try {
            boolean wrote = switch (name) {
                case "put", "del", "cput", "inc", "del_range" -> write(d, batch, delta, out);
                case "resolve", "resolve_range" -> resolve(d, batch, delta, out);
                case "gc" -> gc(d, batch, delta, out);
                default -> throw d.error("not a write: " + name);
            };
            return wrote ? Outcome.WROTE : Outcome.NOTHING;
        } catch (StorageException | IllegalStateException | ArithmeticException e) {
            return refused(name, e, batch, before, deltaBefore.equals(delta), out);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(d.file() + ":")) {
                throw e; // a malformed directive
            }
            return refused(name, e, batch, before, deltaBefore.equals(delta), out);
        }
    }

    private Outcome refused(String name, RuntimeException e, ReadWriteBatch batch, List<String> before,
                            boolean statsUnchanged, StringBuilder out) {
        out.append(name).append(": error: ").append(e.getClass().getSimpleName()).append(": ")
                .append(e.getMessage()).append('\n');
        check(statsUnchanged, "a refused operation changed stats");
        check(entries(batch).equals(before), "a refused operation left writes visible in its batch");
        return Outcome.REFUSED;
    }

    private boolean write(Directive d, ReadWriteBatch batch, MvccStats delta, StringBuilder out) {
        Txn t = optionalTxn(d);
        WriteOptions o = t == null ? WriteOptions.at(ts(d, "ts")) : WriteOptions.txn(t.meta(), t.ignored);
        WriteResult r = switch (d.command()) {
            case "put" -> Mvcc.put(batch, delta, key(d, "k"), value(d), o);
            case "del" -> Mvcc.delete(batch, delta, key(d, "k"), o);
            case "cput" -> Mvcc.conditionalPut(batch, delta, key(d, "k"), value(d),
                    d.has("exp") ? bytes(d.arg("exp")) : null, o);
            case "inc" -> Mvcc.increment(batch, delta, key(d, "k"), d.longArg("delta", 1), o);
            default -> Mvcc.deleteRange(batch, delta, key(d, "k"), endKey(d), o);
        };
        out.append(d.command()).append(": ").append(describe(r)).append('\n');
        return r.ok();
    }

    private boolean resolve(Directive d, ReadWriteBatch batch, MvccStats delta, StringBuilder out) {
        Txn t = txn(d);
        TxnStatus status = TxnStatus.valueOf(d.arg("status").toUpperCase());
        Timestamp at = d.has("ts") ? ts(d, "ts") : t.writeTs;
        LockUpdate u = new LockUpdate(t.id, (int) d.longArg("epoch", t.epoch), status, at,
                d.has("ignore") ? seqRanges(d.values("ignore")) : t.ignored);
        if (d.command().equals("resolve")) {
            ResolveOutcome r = Mvcc.resolveIntent(batch, delta, key(d, "k"), u);
            out.append("resolve: ").append(r.name().toLowerCase()).append('\n');
            return r.changed();
        }
        ResolveRangeResult r = Mvcc.resolveIntentRange(batch, delta, key(d, "k"), endKey(d), u, (int) d.longArg("max", 0));
        out.append("resolve_range: resolved=").append(r.resolved());
        if (r.resumeSpan() != null) {
            out.append(" resume=").append(span(r.resumeSpan()));
        }
        out.append('\n');
        return r.resolved() > 0;
    }

    private boolean gc(Directive d, ReadWriteBatch batch, MvccStats delta, StringBuilder out) {
        Timestamp threshold = ts(d, "threshold");
        GcResult r;
        if (d.has("keys")) {
            List<byte[]> keys = new ArrayList<>();
            for (String k : d.values("keys")) {
                keys.add(bytes(k));
            }
            r = Mvcc.garbageCollect(batch, delta, keys, threshold);
        } else if (d.has("end")) {
            r = Mvcc.garbageCollectRange(batch, delta, key(d, "k"), endKey(d), threshold);
        } else {
            r = Mvcc.garbageCollect(batch, delta, List.of(key(d, "k")), threshold);
        }
        out.append("gc: removed ").append(r.versionsRemoved()).append(" versions of ").append(r.keysTouched())
                .append(" keys\n");
        return r.versionsRemoved() > 0;
    }

    // ---- reads -------------------------------------------------------------------------------

    private String get(Directive d) {
        return get(d, engine);
    }

    private String get(Directive d, dev.meridian.storage.EngineReader reader) {
        try {
            return "get: " + describe(Mvcc.get(reader, key(d, "k"), readOptions(d)));
        } catch (CorruptionException | IllegalStateException e) {
            return "get: error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private String scan(Directive d) {
        return scan(d, engine);
    }

    private String scan(Directive d, dev.meridian.storage.EngineReader reader) {
        ScanLimits limits = new ScanLimits(d.longArg("max", 0), d.longArg("bytes", 0));
        ScanResult r;
        try {
            r = d.has("reverse")
                    ? Mvcc.reverseScan(reader, key(d, "k"), endKey(d), readOptions(d), limits)
                    : Mvcc.scan(reader, key(d, "k"), endKey(d), readOptions(d), limits);
        } catch (CorruptionException | IllegalStateException e) {
            return "scan: error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        StringBuilder out = new StringBuilder();
        switch (r.status()) {
            case OK -> {
                for (KeyValue kv : r.rows()) {
                    out.append("scan: ").append(show(kv.key())).append(" -> ").append(showValue(kv.value()))
                            .append(" @").append(kv.timestamp()).append('\n');
                }
                if (r.rows().isEmpty()) {
                    out.append("scan: <no rows>\n");
                }
                if (r.resumeSpan() != null) {
                    out.append("scan: resume span ").append(span(r.resumeSpan())).append('\n');
                }
            }
            case INTENT -> {
                for (LockConflict c : r.conflicts()) {
                    out.append("scan: intent conflict: ").append(conflict(c)).append('\n');
                }
            }
            case UNCERTAIN -> out.append("scan: uncertain: ").append(show(r.uncertainKey())).append(" has a value @")
                    .append(r.uncertainTimestamp()).append('\n');
        }
        return out.toString();
    }

    private ReadOptions readOptions(Directive d) {
        Txn t = optionalTxn(d);
        Timestamp at = d.has("ts") ? ts(d, "ts") : t == null ? null : t.readTs;
        if (at == null) {
            throw d.error("a non-transactional read needs ts=");
        }
        ReadOptions o = t == null ? ReadOptions.at(at)
                : ReadOptions.txn(t.meta().withSequence((int) d.longArg("seq", t.seq)), at).withIgnoredSeqs(t.ignored);
        return d.has("unc") ? o.withUncertaintyLimit(ts(d, "unc")) : o;
    }

    // ---- corruption --------------------------------------------------------------------------

    /** Flips one byte of a stored value (default: the last) directly in the engine. */
    private String corrupt(Directive d) {
        byte[] userKey = key(d, "k");
        byte[] engineKey = d.has("lock") ? MvccKeyCodec.lockKey(userKey) : MvccKeyCodec.versionKey(userKey, ts(d, "ts"));
        byte[] value = engine.get(KeySpace.MVCC, engineKey);
        if (value == null) {
            throw d.error("no such entry");
        }
        int at = (int) d.longArg("at", value.length - 1);
        value[at] ^= 0x40;
        rawPut(engineKey, value);
        corrupted = true;
        return "corrupt: flipped byte " + at + " of " + value.length + "\n" + dump();
    }

    /** Moves a stored version's bytes, unchanged, to another key (as a misplaced write would). */
    private String move(Directive d) {
        Timestamp at = ts(d, "ts");
        byte[] from = MvccKeyCodec.versionKey(key(d, "k"), at);
        byte[] to = MvccKeyCodec.versionKey(key(d, "to"), at);
        byte[] value = engine.get(KeySpace.MVCC, from);
        try (var b = engine.newWriteBatch()) {
            b.delete(KeySpace.MVCC, from);
            b.put(KeySpace.MVCC, to, value);
            engine.write(b, Durability.SYNCED);
        }
        corrupted = true;
        return "move: done\n" + dump();
    }

    private void rawPut(byte[] engineKey, byte[] value) {
        try (var b = engine.newWriteBatch()) {
            b.put(KeySpace.MVCC, engineKey, value);
            engine.write(b, Durability.SYNCED);
        }
    }

    // ---- printing and checking ---------------------------------------------------------------

    private String statsOf(Directive d) {
        String what = "stats " + span(new Span(key(d, "k"), endKey(d))) + ": ";
        try {
            return what + Mvcc.computeStats(engine, key(d, "k"), endKey(d));
        } catch (CorruptionException e) {
            return what + "error: " + e.getMessage();
        }
    }

    /** The stats, after asserting that the incremental ones equal a recomputation. */
    private String checkedStats() {
        if (corrupted) {
            return "stats: (not checked: the engine holds corrupt data)\n";
        }
        MvccStats recomputed = Mvcc.computeStats(engine, new byte[0], null);
        check(recomputed.equals(stats), "incremental stats " + stats + " differ from recomputed " + recomputed);
        return "stats: " + stats + "\n";
    }

    private String dump() {
        StringBuilder out = new StringBuilder();
        try (EngineIterator it = engine.iterator(KeySpace.MVCC, null, null)) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                out.append(entry(it.key(), it.value())).append('\n');
            }
        }
        return out.isEmpty() ? "<no data>\n" : out.toString();
    }

    private String entry(byte[] engineKey, byte[] raw) {
        MvccKeyCodec.Decoded k = MvccKeyCodec.decode(engineKey);
        try {
            MvccValueCodec.Decoded v = MvccValueCodec.decode(engineKey, raw);
            if (k.isLock()) {
                return "meta " + show(k.userKey()) + " " + lock(LockRecordCodec.decode(engineKey, v.payload()));
            }
            return "data " + show(k.userKey()) + " @" + k.timestamp() + " -> " + showValue(v.userValue());
        } catch (CorruptionException e) {
            return (k.isLock() ? "meta " + show(k.userKey()) : "data " + show(k.userKey()) + " @" + k.timestamp())
                    + " -> <corrupt: " + e.getMessage() + ">";
        }
    }

    private String lock(LockRecord l) {
        TxnMeta t = l.txn();
        StringBuilder h = new StringBuilder();
        for (IntentHistoryEntry e : l.history()) {
            h.append(h.isEmpty() ? "" : " ").append(e.sequence()).append(':').append(showValue(e.value()));
        }
        return "txn=" + txnNames.getOrDefault(t.id(), t.id().toString()) + " epoch=" + t.epoch() + " ts=" + t.writeTimestamp()
                + " min=" + t.minTimestamp() + " seq=" + t.sequence() + " prio=" + t.priority()
                + (t.isolation() == IsolationLevel.SERIALIZABLE ? "" : " iso=rc") + " history={" + h + "}";
    }

    private String describe(WriteResult r) {
        return switch (r.status()) {
            case OK -> "ok @" + r.timestamp() + (r.value() != null ? " value=" + showValue(r.value()) : "")
                    + (r.keys().isEmpty() ? "" : " deleted=" + keyList(r.keys()));
            case WRITE_TOO_OLD -> "write too old: retry at " + r.timestamp();
            case LOCK_CONFLICT -> "lock conflict: " + conflicts(r.conflicts());
            case CONDITION_FAILED -> "condition failed: actual " + (r.value() == null ? "<absent>" : showValue(r.value()))
                    + (r.valueTimestamp() == null ? "" : " @" + r.valueTimestamp());
        };
    }

    private String describe(GetResult r) {
        String k = show(r.key()) + " -> ";
        return switch (r.status()) {
            case FOUND -> k + showValue(r.value()) + " @" + r.timestamp();
            case NOT_FOUND -> k + "<not found>" + (r.timestamp() == null ? "" : " (tombstone @" + r.timestamp() + ")");
            case INTENT -> k + "intent conflict: " + conflict(r.conflict());
            case UNCERTAIN -> k + "uncertain: value @" + r.timestamp();
        };
    }

    private String conflicts(List<LockConflict> cs) {
        StringBuilder b = new StringBuilder();
        for (LockConflict c : cs) {
            b.append(b.isEmpty() ? "" : "; ").append(conflict(c));
        }
        return b.toString();
    }

    private String conflict(LockConflict c) {
        TxnMeta h = c.holder();
        return show(c.key()) + " held by " + txnNames.getOrDefault(h.id(), h.id().toString()) + " epoch=" + h.epoch()
                + " ts=" + h.writeTimestamp();
    }

    private static String keyList(List<byte[]> keys) {
        StringBuilder b = new StringBuilder("(");
        for (byte[] k : keys) {
            b.append(b.length() == 1 ? "" : ",").append(show(k));
        }
        return b.append(')').toString();
    }

    private static String span(Span s) {
        return "[" + show(s.start()) + ", " + (s.end() == null ? "<end>" : show(s.end())) + ")";
    }

    private static String showValue(byte[] v) {
        if (v == null) {
            return "<tombstone>";
        }
        if (v.length == Long.BYTES && !printable(v)) {
            return "int:" + ByteBuffer.wrap(v).getLong();
        }
        return show(v);
    }

    private static String show(byte[] b) {
        if (b.length > 24 && printable(b)) {
            return new String(b, 0, 8, StandardCharsets.US_ASCII) + "...(" + b.length + " bytes)";
        }
        return b.length == 0 ? "\"\"" : Printable.bytes(b);
    }

    private static boolean printable(byte[] b) {
        for (byte c : b) {
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** Every MVCC entry {@code reader} sees, for comparing a batch with the engine. */
    private static List<String> entries(dev.meridian.storage.EngineReader reader) {
        List<String> all = new ArrayList<>();
        try (EngineIterator it = reader.iterator(KeySpace.MVCC, null, null)) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                all.add(Arrays.toString(it.key()) + "=" + Arrays.toString(it.value()));
            }
        }
        return all;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }

    // ---- arguments ---------------------------------------------------------------------------

    private static Timestamp ts(Directive d, String name) {
        return Timestamp.parse(d.arg(name));
    }

    /** {@code k=abc}; {@code ksize=N} (with {@code k}) pads the key with 'k' to N bytes. */
    private static byte[] key(Directive d, String name) {
        byte[] k = bytes(d.arg(name));
        if (name.equals("k") && d.has("ksize")) {
            byte[] big = new byte[(int) d.longArg("ksize")];
            Arrays.fill(big, (byte) 'k');
            System.arraycopy(k, 0, big, 0, Math.min(k.length, big.length));
            return big;
        }
        return k;
    }

    private static byte[] endKey(Directive d) {
        return d.has("end") ? bytes(d.arg("end")) : null;
    }

    /** {@code v=text}, or {@code size=N} for N bytes of 'x'. */
    private static byte[] value(Directive d) {
        if (d.has("size")) {
            byte[] v = new byte[(int) d.longArg("size")];
            Arrays.fill(v, (byte) 'x');
            return v;
        }
        return bytes(d.arg("v"));
    }

    /** Text as bytes; {@code 0x..} as hex; {@code ""} is the empty key. */
    private static byte[] bytes(String s) {
        if (s.startsWith("0x")) {
            return java.util.HexFormat.of().parseHex(s.substring(2));
        }
        return s.equals("\"\"") ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<SeqRange> seqRanges(List<String> specs) {
        List<SeqRange> ranges = new ArrayList<>();
        for (String s : specs) {
            int dash = s.indexOf('-');
            ranges.add(dash < 0 ? new SeqRange(Integer.parseInt(s), Integer.parseInt(s))
                    : new SeqRange(Integer.parseInt(s.substring(0, dash)), Integer.parseInt(s.substring(dash + 1))));
        }
        return ranges;
    }

    /** A sub-command of {@code batch}: words and {@code key=value} pairs. */
    private static Directive parse(String file, int line, String text) {
        String[] words = text.strip().split(" +");
        List<Directive.Arg> args = new ArrayList<>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            args.add(eq < 0 ? new Directive.Arg(words[i], List.of())
                    : new Directive.Arg(words[i].substring(0, eq), List.of(words[i].substring(eq + 1))));
        }
        return new Directive(file, line, words[0], args, "");
    }
}
