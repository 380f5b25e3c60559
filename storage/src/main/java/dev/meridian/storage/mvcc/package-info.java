/**
 * Multi-version concurrency control over an {@link dev.meridian.storage.Engine}: versions of user
 * keys stamped with HLC {@link dev.meridian.storage.mvcc.Timestamp}s, intents of transactions,
 * and the statistics and garbage collection that go with them. Every row of every table is
 * written through this package; the transaction layer builds intents, conflicts, uncertainty
 * restarts and write-too-old retries on its results, and Raft replicates the write batches its
 * operations fill.
 *
 * <h2>Shape</h2>
 * {@link dev.meridian.storage.mvcc.Mvcc} holds the operations: stateless static functions that
 * take an {@code EngineReader} (reads) or a {@code ReadWriteBatch} (writes, which read their own
 * earlier writes in the same batch) and explicit timestamps. Nothing here reads a clock, starts a
 * thread or iterates a hash-ordered collection (the determinism rule; ArchitectureTest). Expected
 * outcomes are records with a status enum ({@code GetResult}, {@code ScanResult},
 * {@code WriteResult}, {@code ResolveOutcome}); exceptions mean bad input or a bug in the caller
 * ({@code IllegalArgumentException}, {@code IllegalStateException}), corrupt data
 * ({@code CorruptionException}) or an entry the engine refuses ({@code OversizedException}).
 *
 * <h2>Layout (KeySpace.MVCC)</h2>
 * <pre>
 *   prefix(k)   = escape(k) 0x00 0x01         escape: 0x00 -&gt; 0x00 0xFF, other bytes unchanged
 *   lock record : prefix(k)                   -&gt; kind=LOCK  crc  TxnMeta + intent history
 *   version     : prefix(k) ~wall(8) ~logical(4)  -&gt; kind=VALUE|TOMBSTONE  crc  user value
 * </pre>
 * The escaping is prefix-free and order-preserving, so all entries of key a sort before all
 * entries of key b when a &lt; b (unsigned lexicographic, the empty key first) and the user span
 * {@code [s, e)} is the engine span {@code [prefix(s), prefix(e))}. Within a key the lock record
 * sorts first (it is a prefix of every version key) and versions follow <b>newest first</b>
 * (the timestamp is stored bitwise inverted, big-endian). A point read is one seek to
 * {@code prefix(k)}: the entry there is the lock record if there is one, and the entries after it
 * are the versions, newest first; the read steps through versions newer than its horizon with
 * {@code next()} (a second seek to the horizon's version key would bound that walk if keys ever
 * collect many versions above typical read timestamps).
 *
 * <p>Every stored value starts with a kind byte and a CRC32C over the engine key, the kind and
 * the payload. A flipped bit, a truncated value, a value of the wrong kind for its key, or a
 * value copied to another key or timestamp is reported as {@code CorruptionException} naming the
 * user key (and version), never returned as data. Reads verify the lock record and the version
 * they return; writes verify what they build on; {@code computeStats} verifies everything.
 *
 * <h2>Intents</h2>
 * An intent is a provisional version at the transaction's write timestamp plus the key's lock
 * record ({@link dev.meridian.storage.mvcc.LockRecord}): the owner's
 * {@link dev.meridian.storage.mvcc.TxnMeta} (id, epoch, write timestamp = the intent's
 * timestamp, sequence of its latest write, min timestamp, priority, isolation) and the intent
 * history: every write of the current epoch as (sequence, value or tombstone), sequences strictly
 * increasing, the provisional version always holding the value of the last entry.
 * <p><b>Invariant</b> (relied on by every read, write, resolution and by GC): a key with a lock
 * record has a version at exactly the lock's timestamp (its provisional version) and no version
 * above it; every other version of the key is committed. It holds because writers conflict with
 * other transactions' intents, write-too-old keeps new intents above every committed version,
 * and resolution only moves a provisional version up. A lock record without its provisional
 * version is reported as corruption.
 *
 * <h2>Reads</h2>
 * A read has a timestamp T, an uncertainty limit L (no uncertainty interval when L &lt;= T), an
 * optional reading transaction (id, epoch, sequence s) and its ignored sequence ranges
 * (savepoint rollbacks). Let H = max(T, L). Reading key k:
 * <ol>
 *   <li>The lock record belongs to the reader:
 *     <ul>
 *       <li>same epoch: the latest history entry with sequence &lt;= s that is not ignored is the
 *           answer (FOUND, or NOT_FOUND for a tombstone), stamped with the intent's timestamp,
 *           whatever T is (a pushed transaction reads its own writes above its read timestamp);
 *           if there is none, the read continues below the provisional version (step 3);</li>
 *       <li>older lock epoch: the intent is an earlier attempt's write; read below it (step 3);</li>
 *       <li>newer lock epoch: {@code IllegalStateException} (a stale request).</li>
 *     </ul></li>
 *   <li>The lock record belongs to another transaction (or the reader is non-transactional):
 *     <ul>
 *       <li>intent timestamp &lt;= T: INTENT conflict naming the holder (txn id, epoch, write
 *           timestamp) and the key;</li>
 *       <li>T &lt; intent timestamp &lt;= L: also an INTENT conflict, not UNCERTAIN. The intent
 *           may commit at its timestamp (inside the window, so the reader would have to treat it
 *           as uncertain) or be aborted (the reader need not move at all): only the holder's
 *           status decides, so the caller must push or wait for it like any conflict;</li>
 *       <li>intent timestamp &gt; H: invisible; read below it (step 3).</li>
 *     </ul></li>
 *   <li>Committed versions newest first, the provisional version skipped: versions above H are
 *       invisible; the first version in (T, L] makes the read UNCERTAIN with that version's
 *       timestamp (the newest in the window; the caller moves above it); otherwise the first
 *       version at or below T is the answer: FOUND with its value and timestamp, or NOT_FOUND
 *       carrying the tombstone's timestamp. No version: NOT_FOUND without a timestamp.</li>
 * </ol>
 * Boundaries: a version at exactly T is visible; at exactly L it is uncertain; an intent at
 * exactly T or L is a conflict.
 * <p>Scans apply the same rule key by key, forward or reverse, over {@code [start, end)}. Limits
 * count returned rows plus conflicts (max keys) and returned key + value bytes (stop after the
 * row that reaches the byte limit); when a limit stops the scan and another key exists, the
 * resume span covers exactly the unscanned rest ({@code [next key, end)} forward,
 * {@code [start, next key + 0x00)} in reverse). Conflicting intents are collected: a scan that met
 * any returns INTENT with all of them and no rows (and no resume span: it is retried after the
 * conflicts are handled). The first uncertain version ends the scan with UNCERTAIN.
 *
 * <h2>Writes</h2>
 * A write at timestamp T, by a transaction (T is its write timestamp; the write becomes an
 * intent at its sequence number) or not (the write commits at once):
 * <ol>
 *   <li>A lock record of another transaction (or any lock record, for a non-transactional
 *       writer): LOCK_CONFLICT naming the holder, whatever the timestamps.</li>
 *   <li>The writer's own lock of a newer epoch: {@code IllegalStateException}.</li>
 *   <li>The writer's own lock of the same epoch: a rewrite. The history gains (seq, value), the
 *       provisional version moves to max(T, intent timestamp) (a pushed intent keeps its higher
 *       timestamp; a writer whose timestamp advanced moves it up) and holds the new value.
 *       A repeated sequence with an equal value is a replay and changes nothing; a repeated
 *       sequence with another value, or a sequence below the latest, is
 *       {@code IllegalStateException}.</li>
 *   <li>Otherwise, if the newest committed version has a timestamp &gt;= T: WRITE_TOO_OLD with
 *       that timestamp {@code .next()}, the lowest timestamp at which the write would succeed.
 *       <b>Nothing is written</b>: the caller moves its timestamp and retries (re-reading what it
 *       must).</li>
 *   <li>Otherwise the write happens: a committed version at T, or a new intent at T whose history
 *       is just (seq, value). The writer's own intent of an older epoch is replaced: its
 *       provisional version and history are discarded.</li>
 * </ol>
 * Every non-OK outcome leaves the batch and the stats untouched. Deletes write a tombstone
 * version even when nothing is live (a delete is a write: later writers below it are too old).
 * Conditional put and increment check 1–4 first, then read what the writer sees (its own
 * earlier, non-ignored writes of this epoch with a sequence below its current one, else the newest
 * committed version): conditional put compares it with the expected value ({@code null} =
 * absent or deleted) and reports CONDITION_FAILED with the actual value and its timestamp;
 * increment treats absent as 0, requires an 8-byte big-endian integer
 * ({@code IllegalArgumentException} otherwise, {@code ArithmeticException} on overflow) and
 * returns the new value. Delete-range checks every key of the span first (all conflicts are
 * reported together; else write-too-old with the highest retry timestamp), and only then writes a
 * tombstone for each key whose value the writer sees live.
 *
 * <h2>Resolution</h2>
 * {@link dev.meridian.storage.mvcc.LockUpdate} names a transaction, its epoch, a status, a
 * timestamp and the ignored sequence ranges. An intent of another transaction or of a newer epoch
 * than the update is never touched (OTHER_TXN, STALE_EPOCH), and no intent is NO_INTENT, so
 * retried resolutions are safe. Same epoch:
 * COMMITTED at C (C &gt;= the intent's timestamp, else {@code IllegalArgumentException}): the
 * latest non-ignored history value becomes a committed version at C (moving up if C is later)
 * and the lock record goes; if every write is ignored the intent just disappears.
 * ABORTED: provisional version and lock record disappear. PENDING at P: the intent moves to
 * max(P, its timestamp) and loses its ignored writes (disappearing if none is left); unchanged
 * otherwise. An intent of an <i>older</i> epoch than the update is removed by COMMITTED and
 * ABORTED (an earlier attempt's writes are never committed) and moved up by PENDING (so the
 * pusher can read past it). Resolve-range does this for every lock of the transaction in a span,
 * with an optional limit and resume span.
 *
 * <h2>Statistics</h2>
 * {@link dev.meridian.storage.mvcc.MvccStats} (definitions there) is passed into every write
 * and updated as the write goes: entry bytes are counted as entries are put and deleted, and the
 * per-key part (existence, live, intent) as the difference between the key's state before and
 * after. {@code computeStats} recomputes it by scanning a span; tests compare the two after every
 * step of every scenario and of random operation sequences. GC-able bytes age is not kept yet.
 *
 * <h2>Garbage collection</h2>
 * For a threshold G and a list of keys or a span: for each key, the newest committed version at
 * or below G is kept (it is what reads at G see) unless it is a tombstone, and every committed
 * version below it is removed. Lock records, provisional versions and versions above G are
 * never touched.
 *
 * <h2>HAZARDs</h2>
 * <ul>
 *   <li>Writes read the live engine through the batch: the caller must keep conflicting writers
 *       out of the keys (latches) while it evaluates, or conflict, write-too-old and stats
 *       decisions are made on a state that changes under them.</li>
 *   <li>After GC at G the caller must refuse reads and writes at or below G: the history there
 *       is partial (a write below a collected tombstone would not be told it is too old).</li>
 *   <li>Spans of KeySpace.MVCC handled here must hold only MVCC keys; anything else there is
 *       reported as corruption. Range-local replicated state needs its own key space or a
 *       prefix no user span covers.</li>
 *   <li>The lock record repeats every value of the intent history, so a transactional value
 *       counts about twice (more with rewrites) against the engine's value limit; an operation the
 *       engine refuses is taken back out of the batch whole before the exception propagates.</li>
 *   <li>Byte arrays inside result records are compared by identity by the records'
 *       {@code equals}; compare their contents explicitly.</li>
 * </ul>
 */
package dev.meridian.storage.mvcc;
