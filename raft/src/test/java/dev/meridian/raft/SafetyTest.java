package dev.meridian.raft;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The classic safety cases, each stated as the property it protects. */
class SafetyTest {

    private static RawNode follower(long id, MemoryRaftLogStorage storage) {
        return new RawNode(Config.defaults(id).withPreVote(false).withCheckQuorum(false), storage, InteractionHarness.NO_JITTER);
    }

    private static MemoryRaftLogStorage threeVoters() {
        return new MemoryRaftLogStorage(ConfState.of(List.of(1L, 2L, 3L), List.of()));
    }

    private static Message vote(long from, long to, long term, long lastIndex, long lastTerm) {
        return Message.builder(MessageType.VOTE).from(from).to(to).term(term).index(lastIndex).logTerm(lastTerm).build();
    }

    /** Drains a Ready the way the contract says and returns its messages. */
    private static List<Message> persistAndCollect(RawNode n, MemoryRaftLogStorage storage) {
        Ready rd = n.ready();
        if (!rd.hardState().isEmpty()) {
            storage.setHardState(rd.hardState());
        }
        storage.append(rd.entries());
        n.advance(rd);
        return rd.messages();
    }

    @Test
    void aNodeGrantsAtMostOneVotePerTermEvenAcrossRestarts() {
        MemoryRaftLogStorage storage = threeVoters();
        RawNode n = follower(3, storage);
        n.step(vote(1, 3, 1, 0, 0));
        List<Message> first = persistAndCollect(n, storage);
        assertThat(first).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.VOTE_RESP);
            assertThat(m.reject()).isFalse();
        });
        assertThat(storage.hardState().vote()).isEqualTo(1);

        n.step(vote(2, 3, 1, 0, 0));
        assertThat(persistAndCollect(n, storage)).singleElement().satisfies(m -> assertThat(m.reject()).isTrue());

        // A restart reloads the vote from the hard state; the second candidate is still refused.
        RawNode restarted = follower(3, storage);
        restarted.step(vote(2, 3, 1, 0, 0));
        assertThat(persistAndCollect(restarted, storage)).singleElement().satisfies(m -> assertThat(m.reject()).isTrue());
        // The same candidate asking again gets the same answer (a retransmission).
        restarted.step(vote(1, 3, 1, 0, 0));
        assertThat(persistAndCollect(restarted, storage)).singleElement().satisfies(m -> assertThat(m.reject()).isFalse());
    }

    @Test
    void aVoteGoesOnlyToACandidateWithAnUpToDateLog() {
        MemoryRaftLogStorage storage = threeVoters();
        storage.append(List.of(Entry.normal(1, 1, null), Entry.normal(2, 2, null)));
        storage.setHardState(new HardState(2, 0, 0));
        RawNode n = follower(3, storage);
        n.step(vote(1, 3, 3, 5, 1)); // longer log but older last term
        assertThat(persistAndCollect(n, storage)).singleElement().satisfies(m -> assertThat(m.reject()).isTrue());
        n.step(vote(2, 3, 4, 2, 2)); // same last term and index: up to date
        assertThat(persistAndCollect(n, storage)).singleElement().satisfies(m -> assertThat(m.reject()).isFalse());
    }

    @Test
    void aFollowerRejectsAnAppendWhosePreviousEntryDoesNotMatch() {
        MemoryRaftLogStorage storage = threeVoters();
        storage.append(List.of(Entry.normal(1, 1, null), Entry.normal(1, 2, null)));
        storage.setHardState(new HardState(2, 0, 0));
        RawNode n = follower(3, storage);
        Message app = Message.builder(MessageType.APP).from(1).to(3).term(2).index(2).logTerm(2)
                .entries(List.of(Entry.normal(2, 3, "x".getBytes(StandardCharsets.UTF_8)))).commit(3).build();
        n.step(app);
        Ready rd = n.ready();
        assertThat(rd.entries()).isEmpty();
        assertThat(rd.messages()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.APP_RESP);
            assertThat(m.reject()).isTrue();
            // Hint: index 2 holds term 1, the last entry with a term at most 2.
            assertThat(m.rejectHint()).isEqualTo(2);
            assertThat(m.logTerm()).isEqualTo(1);
        });
        assertThat(rd.hardState().commit()).isZero();
        n.advance(rd);
    }

    @Test
    void aStaleTermMessageChangesNothing() {
        MemoryRaftLogStorage storage = threeVoters();
        storage.setHardState(new HardState(5, 0, 0));
        RawNode n = follower(3, storage);
        n.step(Message.builder(MessageType.APP).from(1).to(3).term(4).index(0).logTerm(0)
                .entries(List.of(Entry.normal(4, 1, null))).commit(1).build());
        n.step(Message.builder(MessageType.HEARTBEAT).from(1).to(3).term(4).commit(1).build());
        n.step(vote(2, 3, 4, 0, 0));
        Status s = n.status();
        assertThat(s.hardState()).isEqualTo(new HardState(5, 0, 0));
        assertThat(s.softState().lead()).isZero();
        assertThat(n.hasReady()).isFalse();
    }

    @Test
    void aStaleLeaderLearnsTheNewTermWhenCheckQuorumIsOn() {
        MemoryRaftLogStorage storage = threeVoters();
        storage.setHardState(new HardState(5, 0, 0));
        RawNode n = new RawNode(Config.defaults(3), storage, InteractionHarness.NO_JITTER);
        n.step(Message.builder(MessageType.HEARTBEAT).from(1).to(3).term(4).build());
        Ready rd = n.ready();
        assertThat(rd.messages()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MessageType.APP_RESP);
            assertThat(m.term()).isEqualTo(5);
        });
        n.advance(rd);
    }

    @Test
    void aLeaderStepsDownOnSeeingAHigherTerm() {
        Cluster c = new Cluster();
        c.run("add-nodes 3 voters=(1,2,3)", "campaign 1", "stabilize");
        RawNode leader = c.node(1);
        assertThat(leader.status().softState().role()).isEqualTo(Role.LEADER);
        leader.step(Message.builder(MessageType.APP_RESP).from(2).to(1).term(7).index(1).build());
        assertThat(leader.status().softState()).isEqualTo(new SoftState(0, Role.FOLLOWER));
        assertThat(leader.status().hardState().term()).isEqualTo(7);
    }

    @Test
    void aLeaderNeverCommitsAnEarlierTermEntryByCountingReplicas() {
        Cluster c = figure8(false);
        // "xx" of term 1 is on 1, 2 and 3 - a majority - yet the leader of term 3 keeps commit at 1.
        assertThat(c.storage(1).entries(2, 3, Long.MAX_VALUE)).singleElement().extracting(Entry::term).isEqualTo(1L);
        assertThat(c.storage(3).entries(2, 3, Long.MAX_VALUE)).singleElement().extracting(Entry::term).isEqualTo(1L);
        assertThat(c.node(1).status().hardState().commit()).isEqualTo(1);
        c.run("crash 1", "restart 5", "partition (1) (2,3,4,5)", "tick-election 5", "stabilize 2 3 4 5",
                "tick-election 5", "stabilize 2 3 4 5", "restart 1", "heal", "tick-heartbeat 5", "stabilize");
        assertStateMachinesAgree(c, 5);
    }

    /** The knob exists so the simulator can prove its checkers catch this; here we prove the knob bites. */
    @Test
    void theCommitOldTermKnobLosesACommittedEntry() {
        Cluster c = figure8(true);
        assertThat(c.node(1).status().hardState().commit()).isEqualTo(2);
        assertThat(c.applied(1)).containsEntry(2L, "xx");
        c.run("crash 1", "restart 5", "partition (1) (2,3,4,5)", "tick-election 5", "stabilize 2 3 4 5", "tick-election 5");
        // 5 wins term 4 and commits its own entry at 2, which 1 already applied as "xx":
        // the harness's state machine check catches the violation.
        assertThatThrownBy(() -> c.run("stabilize 2 3 4 5"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("state machine safety")
                .hasMessageContaining("1/2 \"xx\" was applied");
        assertThat(c.storage(5).term(2)).isEqualTo(2);
    }

    private static void assertStateMachinesAgree(Cluster c, int n) {
        for (long id = 2; id <= n; id++) {
            assertThat(c.applied(id)).as("state machine of " + id).isEqualTo(c.applied(1));
        }
    }

    /** Figure 8 up to the point where "xx" (term 1) sits on a majority under leader 1 of term 3. */
    private static Cluster figure8(boolean commitOldTerm) {
        Cluster c = new Cluster();
        c.run("add-nodes 5 voters=(1,2,3,4,5) max-size=1" + (commitOldTerm ? " commit-old-term" : ""),
                "campaign 1", "stabilize", "partition (1,2) (3,4,5)", "propose 1 xx", "stabilize",
                "crash 1", "tick-election 5", "process-ready 5", "deliver-msgs 3 4", "process-ready 3 4",
                "deliver-msgs 5", "process-ready 5", "deliver-msgs 1 2 3 4 drop", "crash 5",
                "restart 1", "partition (1,2,3) (4,5)", "tick-election 1", "stabilize 1 2 3", "deliver-msgs 4 5 drop",
                "tick-election 1", "process-ready 1", "deliver-msgs 2 3", "process-ready 2 3", "deliver-msgs 1",
                "process-ready 1", "deliver-msgs 4 5 drop", "deliver-msgs 2 3", "process-ready 2 3",
                "deliver-msgs 1", "process-ready 1", "deliver-msgs 3", "process-ready 3", "deliver-msgs 1",
                "process-ready 1", "deliver-msgs 3 drop");
        assertThat(c.node(1).status().softState().role()).isEqualTo(Role.LEADER);
        assertThat(c.node(1).status().hardState().term()).isEqualTo(3);
        return c;
    }

    @Test
    void electionSafetyHoldsWithoutTheDoubleVoteKnob() {
        Cluster c = twoCandidatesInTermOne(false);
        assertThat(leadersOfTerm(c, 1)).containsExactly(1L);
    }

    @Test
    void theDoubleVoteKnobElectsTwoLeadersInOneTerm() {
        Cluster c = twoCandidatesInTermOne(true);
        assertThat(leadersOfTerm(c, 1)).containsExactly(1L, 2L);
        // The harness's election-safety check reports it as soon as 1's Ready announces it.
        assertThatThrownBy(() -> c.run("process-ready 1"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("election safety: 2 and 1 both lead term 1");
    }

    /**
     * 1 and 2 both campaign in term 1. 3 votes for 1, which becomes leader before it sends
     * anything else; then 3 hears 2's request for the same term (and 2 never hears of 1).
     */
    private static Cluster twoCandidatesInTermOne(boolean doubleVote) {
        Cluster c = new Cluster();
        c.run("add-nodes 3 voters=(1,2,3)" + (doubleVote ? " double-vote" : ""), "partition (1,3) (2)",
                "campaign 1", "process-ready 1", "deliver-msgs 3", "process-ready 3", "deliver-msgs 1", "deliver-msgs 2 drop",
                "partition (2,3) (1)", "campaign 2", "stabilize 2 3");
        return c;
    }

    private static List<Long> leadersOfTerm(Cluster c, long term) {
        return c.harness.nodes.values().stream()
                .filter(n -> n.raw.status().softState().role() == Role.LEADER && n.raw.status().hardState().term() == term)
                .map(n -> n.id).toList();
    }

    @Test
    void messagesOnlyLeaveThroughReadyAndReadyMustBeAdvanced() {
        MemoryRaftLogStorage storage = threeVoters();
        RawNode n = follower(1, storage);
        n.campaign();
        Ready rd = n.ready();
        // The vote for itself is in the hard state of the same Ready as the vote requests.
        assertThat(rd.hardState()).isEqualTo(new HardState(1, 1, 0));
        assertThat(rd.mustSync()).isTrue();
        assertThat(rd.messages()).extracting(Message::type).containsOnly(MessageType.VOTE);
        assertThatThrownBy(n::ready).isInstanceOf(IllegalStateException.class);
        n.advance(rd);
        assertThat(n.hasReady()).isFalse();
        assertThatThrownBy(() -> n.advance(rd)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> n.step(Message.builder(MessageType.HUP).from(2).to(1).build()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> n.step(vote(2, 3, 5, 0, 0))).hasMessageContaining("delivered to node 1");
    }

    @Test
    void proposalsReportWhatHappened() {
        Cluster c = new Cluster();
        c.run("add-nodes 3 voters=(1,2,3)");
        assertThat(c.node(2).propose(new byte[] {1})).isEqualTo(ProposalOutcome.NO_LEADER);
        c.run("campaign 1", "stabilize");
        assertThat(c.node(2).propose(new byte[] {1})).isEqualTo(ProposalOutcome.FORWARDED);
        assertThat(c.node(1).propose(new byte[] {1})).isEqualTo(ProposalOutcome.APPENDED);
        c.run("stabilize");
        assertThat(c.applied(3).values()).containsExactly("\u0001", "\u0001");
    }

    @Test
    void electionTimeoutsAreRandomizedWithinOneToTwoElectionTimeouts() {
        Random seeds = new Random(42);
        java.util.TreeSet<Integer> seen = new java.util.TreeSet<>();
        for (int run = 0; run < 200; run++) {
            MemoryRaftLogStorage storage = threeVoters();
            RawNode n = new RawNode(Config.defaults(1).withPreVote(false), storage, new Random(seeds.nextLong()));
            int ticks = 0;
            while (n.status().softState().role() == Role.FOLLOWER) {
                n.tick();
                ticks++;
                assertThat(ticks).isLessThan(20);
            }
            seen.add(ticks);
        }
        assertThat(seen.first()).isGreaterThanOrEqualTo(10);
        assertThat(seen.last()).isLessThan(20);
        assertThat(seen).hasSizeGreaterThan(5);
    }

    @Test
    void theSameSeedReplaysTheSameRun() {
        assertThat(seededRun(7)).isEqualTo(seededRun(7));
        assertThat(seededRun(7)).isNotEqualTo(seededRun(8));
    }

    private static String seededRun(long seed) {
        Cluster c = new Cluster();
        c.run("add-nodes 5 voters=(1,2,3,4,5) seed=" + seed);
        for (int round = 0; round < 25; round++) {
            for (long id = 1; id <= 5; id++) {
                c.run("tick " + id);
            }
            c.run("stabilize");
        }
        return c.transcript();
    }
}
