package dev.meridian.raft;

import dev.meridian.raft.quorum.VoteResult;
import dev.meridian.raft.tracker.Progress;
import dev.meridian.raft.tracker.ProgressState;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * What a node does as leader: replication with per-follower flow control, the commit rule,
 * read-index confirmation, proposals and leadership transfer. Holds no state of its own beyond
 * what {@link Raft} keeps, so that a role change is just a change of step function.
 */
final class Leader {

    private final Raft r;

    Leader(Raft r) {
        this.r = r;
    }

    void step(Message m) {
        if (!stepLocal(m)) {
            Progress pr = r.trk.progress(m.from());
            if (pr != null) {
                stepFromMember(m, pr); // others are not (or no longer) members
            }
        }
    }

    /** Messages that do not come from a member's progress; returns false if {@code m} is not one. */
    private boolean stepLocal(Message m) {
        switch (m.type()) {
            case BEAT -> {
                bcastHeartbeat(r.readOnly.lastPendingContext());
                handOverIfRemoved();
            }
            case CHECK_QUORUM -> {
                if (!r.trk.quorumActive(r.id)) {
                    // Cut off from a quorum for an election timeout: the others may have
                    // elected someone else; stop serving as leader.
                    r.becomeFollower(r.term, Raft.NONE);
                }
            }
            case PROP -> propose(m.entries());
            case READ_INDEX -> readIndex(m);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void stepFromMember(Message m, Progress pr) {
        switch (m.type()) {
            case APP_RESP -> handleAppendResponse(m, pr);
            case HEARTBEAT_RESP -> handleHeartbeatResponse(m, pr);
            case SNAP_STATUS -> {
                if (pr.state() == ProgressState.SNAPSHOT) {
                    pr.snapshotDone(!m.reject());
                }
            }
            case UNREACHABLE -> {
                // Appends in flight were probably lost: probe instead of pipelining blindly.
                if (pr.state() == ProgressState.REPLICATE) {
                    pr.becomeProbe();
                }
            }
            case TRANSFER_LEADER -> transferLeadership(m.from(), pr);
            default -> {
            }
        }
    }

    // ---------------------------------------------------------------- proposals

    /**
     * Appends a batch of proposals, or refuses the whole batch. At most one conf change may be
     * pending (appended but not applied): with two, the second could be validated against a
     * configuration that is not the one it will apply to.
     */
    ProposalOutcome propose(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("empty proposal");
        }
        if (!r.promotable()) {
            return ProposalOutcome.NOT_A_MEMBER;
        }
        if (r.leadTransferee != Raft.NONE) {
            return ProposalOutcome.LEADER_TRANSFER_IN_PROGRESS;
        }
        long confIndex = -1;
        long last = r.raftLog.lastIndex();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.type() != EntryType.CONF_CHANGE) {
                continue;
            }
            if (r.pendingConfIndex > r.raftLog.applied() || confIndex >= 0) {
                return ProposalOutcome.CONF_CHANGE_PENDING;
            }
            if (!ConfChanger.apply(r.trk.config(), ConfChange.decode(e.data())).ok()) {
                return ProposalOutcome.CONF_CHANGE_REJECTED;
            }
            confIndex = last + 1 + i;
        }
        appendEntry(entries);
        if (confIndex >= 0) {
            r.pendingConfIndex = confIndex;
        }
        bcastAppend();
        return ProposalOutcome.APPENDED;
    }

    /** Appends at the end of the log in the current term and counts the leader's own copy. */
    void appendEntry(List<Entry> entries) {
        long last = r.raftLog.lastIndex();
        List<Entry> placed = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            placed.add(entries.get(i).at(r.term, last + 1 + i));
        }
        long newLast = r.raftLog.append(placed);
        Progress self = r.trk.progress(r.id);
        if (self != null) {
            // Sound because our own Ready persists these entries before any message that could
            // lead a follower to learn of a commit depending on them is sent.
            self.maybeUpdate(newLast);
        }
        maybeCommit();
    }

    /**
     * Advances the commit index to what a quorum holds, but only if that entry is of the
     * current term (Raft paper 5.4.2, Figure 8): an older-term entry held by a majority can
     * still be overwritten by a leader elected without it. Older entries commit implicitly once
     * an own-term entry after them does (log matching).
     */
    boolean maybeCommit() {
        long quorumIndex = r.trk.committed();
        if (r.config.knobs().commitOldTermEntries()) {
            long capped = Math.min(quorumIndex, r.raftLog.lastIndex());
            if (capped > r.raftLog.committed()) {
                r.raftLog.commitTo(capped);
                return true;
            }
            return false;
        }
        return r.raftLog.maybeCommit(quorumIndex, r.term);
    }

    /**
     * In a joint configuration marked auto-leave, proposes leaving it once the change that
     * entered it is applied. Retried on every tick and apply until the proposal is taken
     * (it is refused while a leadership transfer runs).
     */
    void maybeLeaveJoint() {
        if (r.trk.config().autoLeave() && r.raftLog.applied() >= r.pendingConfIndex) {
            propose(List.of(new Entry(0, 0, EntryType.CONF_CHANGE, ConfChange.leaveJoint().encode())));
        }
    }

    /**
     * A leader removed (or demoted) by a change it applied is not a member any more, but it
     * keeps leading until another voter takes over: if it stepped down at once, voters that
     * have not yet learned the change is committed could stay in the old configuration and
     * need its vote, which its longer log would refuse. So it hands leadership to the most
     * caught-up voter (retried every heartbeat until someone with a higher term deposes it)
     * and takes no proposals meanwhile.
     */
    void handOverIfRemoved() {
        if (r.promotable() || r.trk.config().isJoint() || r.leadTransferee != Raft.NONE) {
            return;
        }
        long successor = Raft.NONE;
        long bestMatch = -1;
        for (long voter : r.trk.config().voters().incoming().voters()) {
            Progress pr = r.trk.progress(voter);
            if (voter != r.id && pr.match() > bestMatch) {
                successor = voter;
                bestMatch = pr.match();
            }
        }
        if (successor != Raft.NONE) {
            transferLeadership(successor, r.trk.progress(successor));
        }
    }

    void configChanged() {
        if (maybeCommit()) {
            bcastAppend();
        } else {
            r.trk.visit((pid, pr) -> {
                if (pid != r.id) {
                    maybeSendAppend(pid, false);
                }
            });
        }
    }

    // ---------------------------------------------------------------- replication

    void bcastAppend() {
        r.trk.visit((pid, pr) -> {
            if (pid != r.id) {
                sendAppend(pid);
            }
        });
    }

    void sendAppend(long to) {
        maybeSendAppend(to, true);
    }

    /**
     * Sends the next entries to {@code to} unless its progress is paused. With
     * {@code sendIfEmpty}, an append without entries still goes out (it carries the commit
     * index, or probes). Returns whether a message was sent.
     */
    boolean maybeSendAppend(long to, boolean sendIfEmpty) {
        Progress pr = r.trk.progress(to);
        if (pr == null || pr.isPaused()) {
            return false;
        }
        if (pr.next() < r.raftLog.firstIndex()) {
            return sendSnapshot(to, pr);
        }
        long prevIndex = pr.next() - 1;
        long prevTerm = r.raftLog.term(prevIndex);
        List<Entry> entries = r.raftLog.entries(pr.next(), r.config.maxSizePerMsg());
        if (entries.isEmpty() && !sendIfEmpty) {
            return false;
        }
        long bytes = 0;
        for (Entry e : entries) {
            bytes += e.size();
        }
        r.send(Message.builder(MessageType.APP).to(to).index(prevIndex).logTerm(prevTerm).entries(entries)
                .commit(r.raftLog.committed()).build());
        pr.sentEntries(prevIndex + entries.size(), entries.size(), bytes);
        return true;
    }

    private boolean sendSnapshot(long to, Progress pr) {
        if (!pr.recentActive()) {
            // Do not ship a snapshot to a node that may be down; wait until it answers.
            return false;
        }
        Snapshot snap = r.raftLog.snapshot();
        if (snap.isEmpty()) {
            throw new IllegalStateException("entries before " + r.raftLog.firstIndex() + " are compacted but storage has no snapshot");
        }
        pr.becomeSnapshot(snap.index());
        r.send(Message.builder(MessageType.SNAP).to(to).snapshot(snap).build());
        return true;
    }

    void bcastHeartbeat(byte[] context) {
        r.trk.visit((pid, pr) -> {
            if (pid != r.id) {
                // Never tell a follower a commit index beyond what it is known to hold.
                long commit = Math.min(pr.match(), r.raftLog.committed());
                r.send(Message.builder(MessageType.HEARTBEAT).to(pid).commit(commit).index(r.ticks).context(context).build());
            }
        });
    }

    private void handleAppendResponse(Message m, Progress pr) {
        pr.setRecentActive(true);
        if (m.reject()) {
            handleAppendRejection(m, pr);
            return;
        }
        boolean wasPaused = pr.isPaused();
        boolean updated = pr.maybeUpdate(m.index());
        if (pr.state() == ProgressState.SNAPSHOT) {
            if (!maybeLeaveSnapshotState(m, pr)) {
                return;
            }
        } else if (!updated) {
            return; // a stale or duplicate acknowledgement
        } else if (pr.state() == ProgressState.PROBE) {
            pr.becomeReplicate();
        } else {
            pr.inflights().freeLE(m.index());
        }
        if (maybeCommit()) {
            releasePendingReadIndexMessages();
            bcastAppend();
        } else if (wasPaused) {
            sendAppend(m.from());
        }
        while (maybeSendAppend(m.from(), false)) {
            // Fill the in-flight window.
        }
        if (m.from() == r.leadTransferee && pr.match() == r.raftLog.lastIndex()) {
            sendTimeoutNow(m.from());
        }
    }

    /**
     * Ends the SNAPSHOT state once an answer shows the follower holds what it needs: entries
     * from our first index on can be sent (replicate), or it answered at or past the snapshot
     * but still lacks compacted entries - a snapshot it did not need, or one older than our
     * compaction - so probe, which sends the current snapshot. Returns whether state changed.
     */
    private boolean maybeLeaveSnapshotState(Message m, Progress pr) {
        if (pr.match() + 1 >= r.raftLog.firstIndex()) {
            pr.becomeReplicate();
            return true;
        }
        if (m.index() >= pr.pendingSnapshot()) {
            pr.becomeProbe();
            return true;
        }
        return false;
    }

    private void handleAppendRejection(Message m, Progress pr) {
        long next = m.rejectHint();
        if (m.logTerm() > 0) {
            // Skip every entry of ours whose term is above the follower's term at the hint.
            next = r.raftLog.findConflictByTerm(m.rejectHint(), m.logTerm()).index();
        }
        if (pr.maybeDecrTo(m.index(), next)) {
            if (pr.state() == ProgressState.REPLICATE) {
                pr.becomeProbe();
            }
            sendAppend(m.from());
        }
    }

    private void handleHeartbeatResponse(Message m, Progress pr) {
        // The echoed tick is when we sent the heartbeat: the follower heard from us after it.
        pr.heardFrom(Math.min(m.index(), r.ticks));
        pr.resumeProbing();
        if (pr.state() == ProgressState.REPLICATE && pr.inflights().full()) {
            pr.inflights().freeFirstOne();
        }
        if (pr.match() < r.raftLog.lastIndex()) {
            sendAppend(m.from());
        }
        if (m.context().length == 0) {
            return;
        }
        TreeMap<Long, Boolean> acks = r.readOnly.recvAck(m.from(), m.context());
        if (acks == null || r.trk.config().voters().voteResult(acks) != VoteResult.WON) {
            return;
        }
        for (ReadOnly.Pending p : r.readOnly.advance(m.context())) {
            answerRead(p.request(), p.index());
        }
    }

    // ---------------------------------------------------------------- reads

    /**
     * Read index (Raft thesis 6.4): remember the commit index, confirm with a heartbeat round
     * that we are still leader, then answer with that index. Until this leader has committed an
     * entry of its term its commit index may lag the true one, so such reads wait.
     */
    private void readIndex(Message m) {
        if (r.trk.isSingleton()) {
            answerRead(m, r.raftLog.committed());
            return;
        }
        if (!committedEntryInCurrentTerm()) {
            r.pendingReadIndexMessages.add(m);
            return;
        }
        confirmRead(m);
    }

    private void confirmRead(Message m) {
        r.readOnly.add(r.raftLog.committed(), m);
        r.readOnly.recvAck(r.id, m.context());
        bcastHeartbeat(m.context());
    }

    private boolean committedEntryInCurrentTerm() {
        return r.raftLog.term(r.raftLog.committed()) == r.term;
    }

    private void releasePendingReadIndexMessages() {
        if (r.pendingReadIndexMessages.isEmpty() || !committedEntryInCurrentTerm()) {
            return;
        }
        List<Message> waiting = new ArrayList<>(r.pendingReadIndexMessages);
        r.pendingReadIndexMessages.clear();
        for (Message m : waiting) {
            confirmRead(m);
        }
    }

    private void answerRead(Message request, long index) {
        if (request.from() == Raft.NONE || request.from() == r.id) {
            r.readStates.add(new ReadState(index, request.context()));
        } else {
            r.send(Message.builder(MessageType.READ_INDEX_RESP).to(request.from()).index(index)
                    .context(request.context()).build());
        }
    }

    // ---------------------------------------------------------------- leadership transfer

    private void transferLeadership(long transferee, Progress pr) {
        if (pr.isLearner()) {
            return;
        }
        if (r.leadTransferee != Raft.NONE) {
            if (r.leadTransferee == transferee) {
                return;
            }
            r.leadTransferee = Raft.NONE;
        }
        if (transferee == r.id) {
            return;
        }
        // The transfer must finish within an election timeout or it is abandoned.
        r.electionElapsed = 0;
        r.leadTransferee = transferee;
        if (pr.match() == r.raftLog.lastIndex()) {
            sendTimeoutNow(transferee);
        } else {
            sendAppend(transferee);
        }
    }

    private void sendTimeoutNow(long to) {
        r.send(Message.builder(MessageType.TIMEOUT_NOW).to(to).build());
    }
}
