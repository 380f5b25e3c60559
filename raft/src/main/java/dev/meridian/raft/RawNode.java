package dev.meridian.raft;

import dev.meridian.raft.tracker.Progress;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * One node of one Raft group as a pure state machine: the public face of this module. It never
 * sends, writes, sleeps or reads a clock; the caller (the MultiRaft driver, a test harness or
 * the simulator) feeds it ticks and messages and carries out what it asks for.
 *
 * <h2>The contract</h2>
 * <pre>
 * loop:
 *   on timer:        node.tick()
 *   on message in:   node.step(message)
 *   on client write: node.propose(data)
 *   if node.hasReady():
 *     Ready rd = node.ready();
 *     1. persist rd.hardState() (unless EMPTY), rd.entries() (appending, replacing any
 *        suffix from the first entry's index) and rd.snapshot() (unless empty), durably
 *        when rd.mustSync();
 *     2. THEN send rd.messages();                       -- never before step 1 completes
 *     3. apply rd.snapshot(), then rd.committedEntries() in order; for a CONF_CHANGE entry
 *        call applyConfChange(ConfChange.decode(data));
 *     4. node.advance(rd);
 * </pre>
 *
 * Why the order: a message may announce a vote or acknowledge entries. If it left before the
 * vote or entries were durable, a crash could make this node vote twice in a term or "forget"
 * entries a leader counted towards a commit, breaking election safety or state machine safety.
 * The leader counts its own new entries as held on append; that is sound only because of step 1.
 *
 * <p>Between {@link #ready()} and {@link #advance} the caller may keep calling {@link #step},
 * {@link #tick} and {@link #propose}; it must not call {@link #ready()} again before
 * {@link #advance}. Not thread-safe: one thread at a time.
 *
 * <p>Expected outcomes are values ({@link ProposalOutcome}); exceptions mean a bug in the
 * caller (a local message type from the network, a Ready out of order) or corrupt storage.
 */
public final class RawNode {

    private final Raft raft;
    private SoftState prevSoftState;
    private HardState prevHardState;
    private boolean readyOutstanding;

    /**
     * Starts or restarts a node from {@code storage}: its hard state, log and the membership of
     * its last snapshot. A new group's storage holds the initial membership
     * ({@link MemoryRaftLogStorage#MemoryRaftLogStorage(ConfState)}).
     *
     * @param random the only source of randomness (election timeouts); seed it for replay
     */
    public RawNode(Config config, RaftLogStorage storage, RandomGenerator random) {
        this.raft = new Raft(config, storage, random);
        this.prevSoftState = raft.softState();
        this.prevHardState = raft.hardState();
    }

    /** Advances logical time by one tick: election and heartbeat timeouts count ticks. */
    public void tick() {
        raft.tick();
    }

    /** Starts an election now (with a pre-vote round first if configured). */
    public void campaign() {
        raft.step(raft.local(MessageType.HUP));
    }

    /** Feeds a message from a peer. Messages of local types are refused: they come from this API. */
    public void step(Message m) {
        if (m.type().isLocal()) {
            throw new IllegalArgumentException("local message type " + m.type() + " cannot come from the network");
        }
        if (m.to() != raft.id) {
            throw new IllegalArgumentException("message for node " + m.to() + " delivered to node " + raft.id);
        }
        raft.step(m);
    }

    /** Proposes application data; see {@link ProposalOutcome} for what may happen. */
    public ProposalOutcome propose(byte[] data) {
        return raft.propose(List.of(Entry.normal(0, 0, data)));
    }

    /**
     * Proposes a membership change; at most one may be pending (appended, not applied) at a
     * time. Its {@link ConfChange#context()} travels unchanged in the entry's data, so every
     * node finds it in {@code ConfChange.decode(entry.data())} when it applies the entry.
     */
    public ProposalOutcome proposeConfChange(ConfChange cc) {
        return raft.propose(List.of(new Entry(0, 0, EntryType.CONF_CHANGE, cc.encode())));
    }

    /**
     * Applies a committed membership change, as the caller must when it applies the entry.
     * Returns the resulting membership, to store with the next snapshot.
     */
    public ConfState applyConfChange(ConfChange cc) {
        return raft.applyConfChange(cc);
    }

    /**
     * Asks the leader to hand leadership to {@code transferee}: the leader stops taking
     * proposals, brings the transferee's log up to date and tells it to campaign at once. The
     * transfer is abandoned after an election timeout.
     */
    public void transferLeadership(long transferee) {
        raft.step(Message.builder(MessageType.TRANSFER_LEADER).from(transferee).build());
    }

    /**
     * Requests a linearizable read. Later a {@link ReadState} with the same context appears in
     * a Ready: once the state machine has applied up to its index, reading it is linearizable.
     * The request may be lost (leader change); the caller times out and retries.
     */
    public void readIndex(byte[] context) {
        if (context == null || context.length == 0) {
            throw new IllegalArgumentException("a read-index request needs a non-empty, unique context");
        }
        raft.step(Message.builder(MessageType.READ_INDEX).context(context).build());
    }

    /** The transport failed to reach {@code id}: stop pipelining to it, probe instead. */
    public void reportUnreachable(long id) {
        raft.step(Message.builder(MessageType.UNREACHABLE).from(id).build());
    }

    /**
     * How sending a snapshot to {@code id} ended. The caller must report every snapshot a
     * Ready asked it to send, delivered or not: while one is outstanding the leader sends that
     * follower nothing but heartbeats.
     */
    public void reportSnapshot(long id, boolean success) {
        raft.step(Message.builder(MessageType.SNAP_STATUS).from(id).reject(!success).build());
    }

    /** Whether there is something to do; false while a Ready is out and not yet advanced. */
    public boolean hasReady() {
        if (readyOutstanding) {
            return false;
        }
        if (!raft.softState().equals(prevSoftState)) {
            return true;
        }
        HardState hs = raft.hardState();
        if (!hs.isEmpty() && !hs.equals(prevHardState)) {
            return true;
        }
        RaftLog log = raft.raftLog;
        return log.unstable().snapshot() != null || !log.unstable().entries().isEmpty() || log.hasNextCommittedEntries()
                || !raft.msgs.isEmpty() || !raft.readStates.isEmpty();
    }

    /** Collects what to persist, send and apply; see the class documentation for the order. */
    public Ready ready() {
        if (readyOutstanding) {
            throw new IllegalStateException("ready() called again before advance()");
        }
        readyOutstanding = true;
        SoftState soft = raft.softState();
        SoftState softChange = soft.equals(prevSoftState) ? null : soft;
        prevSoftState = soft;
        HardState hs = raft.hardState();
        HardState hardChange = hs.equals(prevHardState) ? HardState.EMPTY : hs;
        RaftLog log = raft.raftLog;
        List<Entry> entries = log.unstableEntries();
        Snapshot snap = log.unstable().snapshot();
        boolean mustSync = !entries.isEmpty() || hs.term() != prevHardState.term() || hs.vote() != prevHardState.vote();
        Ready rd = new Ready(softChange, hardChange, raft.readStates, entries, snap == null ? Snapshot.EMPTY : snap,
                log.nextCommittedEntries(), raft.msgs, mustSync);
        raft.msgs.clear();
        raft.readStates.clear();
        return rd;
    }

    /** Tells the node the Ready was persisted, sent and applied. */
    public void advance(Ready rd) {
        if (!readyOutstanding) {
            throw new IllegalStateException("advance() without ready()");
        }
        readyOutstanding = false;
        if (!rd.hardState().isEmpty()) {
            prevHardState = rd.hardState();
        }
        RaftLog log = raft.raftLog;
        if (!rd.entries().isEmpty()) {
            Entry last = rd.entries().get(rd.entries().size() - 1);
            log.stableTo(last.index(), last.term());
        }
        if (!rd.snapshot().isEmpty()) {
            log.stableSnapTo(rd.snapshot().index());
        }
        long applied = 0;
        if (!rd.committedEntries().isEmpty()) {
            applied = rd.committedEntries().get(rd.committedEntries().size() - 1).index();
        } else if (!rd.snapshot().isEmpty()) {
            applied = rd.snapshot().index();
        }
        if (applied > log.applied()) {
            raft.appliedTo(applied);
        }
    }

    public Status status() {
        SortedMap<Long, ProgressStatus> progress = new TreeMap<>();
        long quorumContact = 0;
        if (raft.role == Role.LEADER) {
            raft.trk.visit((id, p) -> progress.put(id, statusOf(p)));
            quorumContact = raft.trk.quorumContactTick(raft.id, raft.ticks);
        }
        return new Status(raft.id, raft.hardState(), raft.softState(), raft.raftLog.applied(), raft.ticks, quorumContact,
                raft.leadTransferee, raft.confState(), progress);
    }

    private static ProgressStatus statusOf(Progress p) {
        return new ProgressStatus(p.match(), p.next(), p.state(), p.isLearner(), p.recentActive(), p.inflights().count(),
                p.pendingSnapshot(), p.lastContactTick());
    }

    /** This node's id. */
    public long id() {
        return raft.id;
    }
}
