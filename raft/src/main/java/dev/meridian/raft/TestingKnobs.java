package dev.meridian.raft;

/**
 * Deliberate bugs for the randomized simulator to prove its checkers can fail. Every knob
 * defaults off; production code must use {@link #NONE}.
 *
 * @param grantDoubleVote      a node grants its vote to every candidate of a term, even after
 *                             voting for another: breaks election safety (two leaders in a term)
 * @param commitOldTermEntries the leader commits any entry a quorum holds, ignoring the rule that
 *                             only entries of its own term are committed by counting replicas
 *                             (Raft paper, Figure 8): breaks state machine safety
 */
public record TestingKnobs(boolean grantDoubleVote, boolean commitOldTermEntries) {

    public static final TestingKnobs NONE = new TestingKnobs(false, false);
}
