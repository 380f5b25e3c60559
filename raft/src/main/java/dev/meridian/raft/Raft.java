package dev.meridian.raft;

import dev.meridian.raft.quorum.VoteResult;
import dev.meridian.raft.tracker.Progress;
import dev.meridian.raft.tracker.ProgressTracker;
import dev.meridian.raft.tracker.TrackerConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The consensus state machine of one node of one group. Behaviour per role is a set of
 * functions chosen at role change ({@link #stepFn}, {@link #tickFn}, {@link #proposeFn});
 * leader behaviour lives in {@link Leader}. Single-threaded; driven by {@link RawNode}.
 */
final class Raft {

    static final long NONE = 0;

    enum CampaignType { PRE_ELECTION, ELECTION, TRANSFER }

    @FunctionalInterface
    interface StepFunction {
        void step(Message m);
    }

    @FunctionalInterface
    interface ProposeFunction {
        ProposalOutcome propose(List<Entry> entries);
    }

    final long id;
    final Config config;
    final RaftLog raftLog;
    final ProgressTracker trk;
    private final RandomGenerator random;
    final Leader leader;

    long term;
    long vote;
    long lead;
    Role role = Role.FOLLOWER;
    final List<Message> msgs = new ArrayList<>();
    final List<ReadState> readStates = new ArrayList<>();
    /** The node leadership is being handed to, or NONE. */
    long leadTransferee;
    /** No new conf change is accepted until the log is applied up to here (one pending at a time). */
    long pendingConfIndex;
    ReadOnly readOnly = new ReadOnly();
    /** Read requests that arrived before this leader committed an entry of its own term. */
    final List<Message> pendingReadIndexMessages = new ArrayList<>();

    /** Ticks since the last election timeout reset (leader: since the last check-quorum). */
    int electionElapsed;
    int heartbeatElapsed;
    int randomizedElectionTimeout;
    /** Ticks since this node was constructed: the time base of lease hooks. */
    long ticks;

    private StepFunction stepFn;
    private Runnable tickFn;
    private ProposeFunction proposeFn;

    Raft(Config config, RaftLogStorage storage, RandomGenerator random) {
        this.id = config.id();
        this.config = config;
        this.random = random;
        this.raftLog = new RaftLog(storage);
        this.trk = new ProgressTracker(config.maxInflightMsgs(), config.maxInflightBytes());
        this.leader = new Leader(this);
        InitialState state = storage.initialState();
        switchToConfig(ConfChanger.fromConfState(state.confState()));
        HardState hs = state.hardState();
        if (!hs.isEmpty()) {
            if (hs.commit() < raftLog.committed() || hs.commit() > raftLog.lastIndex()) {
                throw new IllegalStateException("persisted commit " + hs.commit() + " outside [" + raftLog.committed() + "," + raftLog.lastIndex() + "]");
            }
            raftLog.commitTo(hs.commit());
            term = hs.term();
            vote = hs.vote();
        }
        if (config.applied() > 0) {
            raftLog.appliedTo(config.applied());
        }
        becomeFollower(term, NONE);
    }

    HardState hardState() {
        return new HardState(term, vote, raftLog.committed());
    }

    SoftState softState() {
        return new SoftState(lead, role);
    }

    /** A member that may become leader: a voter of the current configuration. */
    boolean promotable() {
        Progress p = trk.progress(id);
        return p != null && !p.isLearner();
    }

    // ---------------------------------------------------------------- sending

    /** Queues a message; it leaves only through {@link Ready}, after the Ready's state is persisted. */
    void send(Message m) {
        Message.Builder b = m.toBuilder();
        if (m.from() == NONE) {
            b.from(id);
        }
        if (m.type().carriesOwnTerm()) {
            if (m.term() == 0) {
                throw new IllegalStateException(m.type() + " must carry its term");
            }
        } else if (m.type() != MessageType.PROP && m.type() != MessageType.READ_INDEX) {
            // Forwarded proposals and reads keep term 0: the leader treats them as local.
            b.term(term);
        }
        msgs.add(b.build());
    }

    // ---------------------------------------------------------------- role changes

    void becomeFollower(long newTerm, long newLead) {
        stepFn = this::stepFollower;
        tickFn = this::tickElection;
        proposeFn = this::proposeAsFollower;
        reset(newTerm);
        lead = newLead;
        role = Role.FOLLOWER;
    }

    void becomeCandidate() {
        if (role == Role.LEADER) {
            throw new IllegalStateException("leader cannot become candidate");
        }
        stepFn = this::stepCandidate;
        tickFn = this::tickElection;
        proposeFn = entries -> ProposalOutcome.NO_LEADER;
        reset(term + 1);
        vote = id;
        role = Role.CANDIDATE;
    }

    /** Pre-vote: neither term nor vote change, so a failed pre-campaign disturbs nobody. */
    void becomePreCandidate() {
        if (role == Role.LEADER) {
            throw new IllegalStateException("leader cannot become pre-candidate");
        }
        stepFn = this::stepCandidate;
        tickFn = this::tickElection;
        proposeFn = entries -> ProposalOutcome.NO_LEADER;
        trk.resetVotes();
        lead = NONE;
        role = Role.PRE_CANDIDATE;
    }

    void becomeLeader() {
        if (role == Role.FOLLOWER) {
            throw new IllegalStateException("follower cannot become leader without an election");
        }
        stepFn = leader::step;
        tickFn = this::tickHeartbeat;
        proposeFn = leader::propose;
        reset(term);
        lead = id;
        role = Role.LEADER;
        Progress self = trk.progress(id);
        if (self == null) {
            throw new IllegalStateException("node " + id + " won an election without being a member");
        }
        self.becomeReplicate();
        self.setRecentActive(true);
        // Conf changes may sit unapplied in the log we inherit: accept no new one before they apply.
        pendingConfIndex = raftLog.lastIndex();
        // The no-op of the new term: committing it commits everything before it (leader
        // completeness lets us count only own-term entries, Figure 8).
        leader.appendEntry(List.of(Entry.normal(0, 0, null)));
    }

    private void reset(long newTerm) {
        if (term != newTerm) {
            term = newTerm;
            vote = NONE;
        }
        lead = NONE;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
        leadTransferee = NONE;
        trk.resetVotes();
        long last = raftLog.lastIndex();
        TreeMap<Long, Progress> fresh = new TreeMap<>();
        trk.visit((pid, old) -> fresh.put(pid, new Progress(pid == id ? last : 0, last + 1, trk.newInflights(), old.isLearner())));
        trk.switchTo(trk.config(), fresh);
        pendingConfIndex = 0;
        readOnly = new ReadOnly();
        pendingReadIndexMessages.clear();
    }

    // ---------------------------------------------------------------- ticks

    void tick() {
        ticks++;
        tickFn.run();
    }

    private void tickElection() {
        electionElapsed++;
        if (promotable() && electionElapsed >= randomizedElectionTimeout) {
            electionElapsed = 0;
            step(local(MessageType.HUP));
        }
    }

    void tickHeartbeat() {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= config.electionTicks()) {
            electionElapsed = 0;
            if (config.checkQuorum()) {
                step(local(MessageType.CHECK_QUORUM));
            }
            // A transfer that did not finish within an election timeout is abandoned.
            if (role == Role.LEADER && leadTransferee != NONE) {
                leadTransferee = NONE;
            }
        }
        if (role != Role.LEADER) {
            return;
        }
        if (heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            step(local(MessageType.BEAT));
        }
        leader.maybeLeaveJoint();
    }

    Message local(MessageType type) {
        return Message.builder(type).from(id).build();
    }

    // ---------------------------------------------------------------- step

    ProposalOutcome propose(List<Entry> entries) {
        return proposeFn.propose(entries);
    }

    void step(Message m) {
        if (m.term() > term) {
            if (!stepHigherTerm(m)) {
                return;
            }
        } else if (m.term() < term && m.term() != 0) {
            stepLowerTerm(m);
            return;
        }
        switch (m.type()) {
            case HUP -> hup(config.preVote() ? CampaignType.PRE_ELECTION : CampaignType.ELECTION);
            case VOTE, PRE_VOTE -> handleVoteRequest(m);
            default -> stepFn.step(m);
        }
    }

    /** Returns false if the message is to be ignored. */
    private boolean stepHigherTerm(Message m) {
        if (m.type() == MessageType.VOTE || m.type() == MessageType.PRE_VOTE) {
            boolean force = Arrays.equals(m.context(), Message.CAMPAIGN_TRANSFER);
            boolean inLease = config.checkQuorum() && lead != NONE && electionElapsed < config.electionTicks();
            if (!force && inLease) {
                // We heard from a leader within the election timeout: a candidate must not
                // depose it (leader lease; also what a lease-holding leader relies on).
                return false;
            }
        }
        if (m.type() == MessageType.PRE_VOTE) {
            return true; // answering a pre-vote never changes our term
        }
        if (m.type() == MessageType.PRE_VOTE_RESP && !m.reject()) {
            return true; // a granted pre-vote is for the term we would campaign in
        }
        boolean fromLeader = m.type() == MessageType.APP || m.type() == MessageType.HEARTBEAT || m.type() == MessageType.SNAP;
        becomeFollower(m.term(), fromLeader ? m.from() : NONE);
        return true;
    }

    private void stepLowerTerm(Message m) {
        if ((config.checkQuorum() || config.preVote())
                && (m.type() == MessageType.HEARTBEAT || m.type() == MessageType.APP)) {
            // A stale leader (e.g. cut off, now healed) learns our term and steps down; without
            // this, with pre-vote or check-quorum it could block a node whose term is higher.
            send(Message.builder(MessageType.APP_RESP).to(m.from()).build());
        } else if (m.type() == MessageType.PRE_VOTE) {
            send(Message.builder(MessageType.PRE_VOTE_RESP).to(m.from()).term(term).reject(true).build());
        }
        // Anything else from an old term is ignored.
    }

    private void handleVoteRequest(Message m) {
        MessageType resp = m.type().voteResponse();
        // Election safety: at most one vote per term, kept across restarts (HardState.vote).
        boolean canVote = vote == m.from()
                || (vote == NONE && lead == NONE)
                || (m.type() == MessageType.PRE_VOTE && m.term() > term)
                || config.knobs().grantDoubleVote();
        // Pre-vote (thesis 9.6): refuse while we heard from a leader within the election
        // timeout, so a node returning from a partition cannot depose a working leader.
        boolean leaderAlive = m.type() == MessageType.PRE_VOTE && lead != NONE
                && electionElapsed < config.electionTicks() && !Arrays.equals(m.context(), Message.CAMPAIGN_TRANSFER);
        if (canVote && !leaderAlive && raftLog.isUpToDate(m.index(), m.logTerm())) {
            send(Message.builder(resp).to(m.from()).term(m.term()).build());
            if (m.type() == MessageType.VOTE) {
                electionElapsed = 0;
                vote = m.from();
            }
        } else {
            send(Message.builder(resp).to(m.from()).term(term).reject(true).build());
        }
    }

    void hup(CampaignType type) {
        if (role == Role.LEADER || !promotable() || hasUnappliedConfChanges()) {
            // A conf change committed but not applied may remove us or change the quorum:
            // campaigning under the old configuration could elect a leader the new one rejects.
            return;
        }
        campaign(type);
    }

    private boolean hasUnappliedConfChanges() {
        if (raftLog.applied() >= raftLog.committed()) {
            return false;
        }
        long lo = Math.max(raftLog.applied() + 1, raftLog.firstIndex());
        for (Entry e : raftLog.slice(lo, raftLog.committed() + 1, Long.MAX_VALUE)) {
            if (e.type() == EntryType.CONF_CHANGE) {
                return true;
            }
        }
        return false;
    }

    void campaign(CampaignType type) {
        MessageType voteType;
        long voteTerm;
        if (type == CampaignType.PRE_ELECTION) {
            becomePreCandidate();
            voteType = MessageType.PRE_VOTE;
            voteTerm = term + 1;
        } else {
            becomeCandidate();
            voteType = MessageType.VOTE;
            voteTerm = term;
        }
        if (poll(id, true) == VoteResult.WON) {
            // A single voter wins alone.
            wonElection(type == CampaignType.PRE_ELECTION);
            return;
        }
        byte[] context = type == CampaignType.TRANSFER ? Message.CAMPAIGN_TRANSFER : null;
        for (long voter : trk.config().voters().ids()) {
            if (voter == id) {
                continue;
            }
            send(Message.builder(voteType).to(voter).term(voteTerm).index(raftLog.lastIndex())
                    .logTerm(raftLog.lastTerm()).context(context).build());
        }
    }

    private void wonElection(boolean preElection) {
        if (preElection) {
            campaign(CampaignType.ELECTION);
        } else {
            becomeLeader();
            leader.bcastAppend();
        }
    }

    private VoteResult poll(long from, boolean granted) {
        trk.recordVote(from, granted);
        return trk.tallyVotes().result();
    }

    private void stepCandidate(Message m) {
        MessageType myVoteResp = role == Role.PRE_CANDIDATE ? MessageType.PRE_VOTE_RESP : MessageType.VOTE_RESP;
        switch (m.type()) {
            case APP -> {
                becomeFollower(m.term(), m.from());
                handleAppendEntries(m);
            }
            case HEARTBEAT -> {
                becomeFollower(m.term(), m.from());
                handleHeartbeat(m);
            }
            case SNAP -> {
                becomeFollower(m.term(), m.from());
                handleSnapshot(m);
            }
            case VOTE_RESP, PRE_VOTE_RESP -> {
                if (m.type() != myVoteResp) {
                    return;
                }
                VoteResult result = poll(m.from(), !m.reject());
                if (result == VoteResult.WON) {
                    wonElection(role == Role.PRE_CANDIDATE);
                } else if (result == VoteResult.LOST) {
                    becomeFollower(term, NONE);
                }
            }
            default -> {
                // Proposals are dropped; TimeoutNow to a candidate is stale.
            }
        }
    }

    private void stepFollower(Message m) {
        switch (m.type()) {
            case PROP, TRANSFER_LEADER, READ_INDEX -> {
                if (lead != NONE) {
                    send(m.toBuilder().to(lead).build());
                }
            }
            case APP -> {
                electionElapsed = 0;
                lead = m.from();
                handleAppendEntries(m);
            }
            case HEARTBEAT -> {
                electionElapsed = 0;
                lead = m.from();
                handleHeartbeat(m);
            }
            case SNAP -> {
                electionElapsed = 0;
                lead = m.from();
                handleSnapshot(m);
            }
            case TIMEOUT_NOW -> hup(CampaignType.TRANSFER);
            case READ_INDEX_RESP -> readStates.add(new ReadState(m.index(), m.context()));
            default -> {
            }
        }
    }

    private ProposalOutcome proposeAsFollower(List<Entry> entries) {
        if (lead == NONE) {
            return ProposalOutcome.NO_LEADER;
        }
        send(Message.builder(MessageType.PROP).to(lead).entries(entries).build());
        return ProposalOutcome.FORWARDED;
    }

    // ---------------------------------------------------------------- follower log handling

    private void handleAppendEntries(Message m) {
        if (m.index() < raftLog.committed()) {
            send(Message.builder(MessageType.APP_RESP).to(m.from()).index(raftLog.committed()).build());
            return;
        }
        long lastNew = raftLog.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
        if (lastNew >= 0) {
            send(Message.builder(MessageType.APP_RESP).to(m.from()).index(lastNew).build());
            return;
        }
        // Log matching failed at m.index. Hint the largest index whose term is at most the
        // leader's term there: the leader can skip every index in between in one round.
        long hintIndex = Math.min(m.index(), raftLog.lastIndex());
        RaftLog.IndexTerm hint = raftLog.findConflictByTerm(hintIndex, m.logTerm());
        send(Message.builder(MessageType.APP_RESP).to(m.from()).index(m.index()).reject(true)
                .rejectHint(hint.index()).logTerm(hint.term()).build());
    }

    private void handleHeartbeat(Message m) {
        // The leader caps commit at our match, so this never exceeds our log.
        raftLog.commitTo(m.commit());
        send(Message.builder(MessageType.HEARTBEAT_RESP).to(m.from()).index(m.index()).context(m.context()).build());
    }

    private void handleSnapshot(Message m) {
        long index = restore(m.snapshot()) ? raftLog.lastIndex() : raftLog.committed();
        send(Message.builder(MessageType.APP_RESP).to(m.from()).index(index).build());
    }

    /** Installs a leader's snapshot; false if it is stale or our log already holds it. */
    private boolean restore(Snapshot snap) {
        if (snap.index() <= raftLog.committed()) {
            return false;
        }
        // We may be missing from the snapshot's membership: a node added after the snapshot was
        // taken learns of its own addition from the entries that follow it. It only cannot
        // campaign until it has applied that change, which is right.
        if (raftLog.matchTerm(snap.index(), snap.term())) {
            raftLog.commitTo(snap.index());
            return false;
        }
        raftLog.restore(snap);
        TreeMap<Long, Progress> none = new TreeMap<>();
        trk.switchTo(TrackerConfig.empty(), none);
        switchToConfig(ConfChanger.fromConfState(snap.metadata().confState()));
        return true;
    }

    // ---------------------------------------------------------------- configuration

    ConfState applyConfChange(ConfChange cc) {
        ConfChanger.Result result = ConfChanger.apply(trk.config(), cc);
        if (!result.ok()) {
            throw new IllegalStateException("committed conf change " + cc + " is invalid: " + result.error());
        }
        switchToConfig(result.config());
        return confState();
    }

    ConfState confState() {
        return ConfChanger.toConfState(trk.config());
    }

    private void switchToConfig(TrackerConfig cfg) {
        long last = raftLog.lastIndex();
        TreeMap<Long, Progress> prs = new TreeMap<>();
        SortedSet<Long> members = cfg.voters().ids();
        members.addAll(cfg.learners());
        for (long member : members) {
            Progress p = trk.progress(member);
            if (p == null) {
                // Probing starts at our last entry, so the first append carries something and
                // goes out at once; a new member counts as active so that check-quorum does not
                // trip and a snapshot may be sent to it right away.
                p = new Progress(0, Math.max(last, 1), trk.newInflights(), false);
                p.setRecentActive(true);
            }
            p.setLearner(cfg.learners().contains(member));
            prs.put(member, p);
        }
        trk.switchTo(cfg, prs);
        if (role != Role.LEADER) {
            return;
        }
        if (leadTransferee != NONE && trk.progress(leadTransferee) == null) {
            leadTransferee = NONE;
        }
        leader.configChanged();
        leader.handOverIfRemoved();
    }

    /** After the application applied entries up to {@code index}. */
    void appliedTo(long index) {
        raftLog.appliedTo(index);
        if (role == Role.LEADER) {
            leader.maybeLeaveJoint();
        }
    }
}
