package dev.meridian.raft.tracker;

import dev.meridian.raft.quorum.JointConfig;
import dev.meridian.raft.quorum.MajorityConfig;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A group's membership as the quorum rules see it.
 *
 * <p>Invariants (checked at construction): learners and voters are disjoint (a node is a
 * learner or a voter of the incoming configuration, never both); {@code learnersNext} is only
 * non-empty in a joint configuration and holds nodes that are voters of the outgoing
 * configuration and become learners when the joint configuration is left; {@code autoLeave} is
 * only set in a joint configuration.
 *
 * @param voters       incoming and (while joint) outgoing voters
 * @param learners     non-voting members that receive the log
 * @param learnersNext outgoing voters that turn into learners on leaving the joint state
 * @param autoLeave    whether the leader proposes leaving the joint state by itself
 */
public record TrackerConfig(JointConfig voters, SortedSet<Long> learners, SortedSet<Long> learnersNext,
                            boolean autoLeave) {

    public TrackerConfig {
        learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
        learnersNext = Collections.unmodifiableSortedSet(new TreeSet<>(learnersNext));
        for (long id : learners) {
            if (voters.contains(id)) {
                throw new IllegalArgumentException("node " + id + " is both voter and learner");
            }
        }
        for (long id : learnersNext) {
            if (!voters.outgoing().contains(id)) {
                throw new IllegalArgumentException("next learner " + id + " is not an outgoing voter");
            }
            if (voters.incoming().contains(id)) {
                throw new IllegalArgumentException("next learner " + id + " is an incoming voter");
            }
        }
        if (autoLeave && !voters.isJoint()) {
            throw new IllegalArgumentException("autoLeave outside a joint configuration");
        }
    }

    public static TrackerConfig empty() {
        return new TrackerConfig(JointConfig.simple(MajorityConfig.empty()), new TreeSet<>(), new TreeSet<>(), false);
    }

    public boolean isJoint() {
        return voters.isJoint();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("voters=").append(voters);
        if (!learners.isEmpty()) {
            b.append(" learners=").append(MajorityConfig.of(learners));
        }
        if (!learnersNext.isEmpty()) {
            b.append(" learners_next=").append(MajorityConfig.of(learnersNext));
        }
        if (autoLeave) {
            b.append(" autoleave");
        }
        return b.toString();
    }
}
