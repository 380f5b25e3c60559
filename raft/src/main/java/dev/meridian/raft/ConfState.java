package dev.meridian.raft;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The membership of a group as persisted with snapshots and returned by
 * {@link RawNode#applyConfChange}. All lists are sorted and free of duplicates.
 *
 * @param voters         the voters (of the incoming configuration while joint)
 * @param learners       non-voting members
 * @param votersOutgoing the voters of the outgoing configuration; empty unless joint
 * @param learnersNext   outgoing voters that become learners when the joint state is left
 * @param autoLeave      whether the leader leaves the joint state by itself
 */
public record ConfState(List<Long> voters, List<Long> learners, List<Long> votersOutgoing,
                        List<Long> learnersNext, boolean autoLeave) {

    public ConfState {
        voters = sorted(voters);
        learners = sorted(learners);
        votersOutgoing = sorted(votersOutgoing);
        learnersNext = sorted(learnersNext);
    }

    public static final ConfState EMPTY = new ConfState(List.of(), List.of(), List.of(), List.of(), false);

    public static ConfState of(Collection<Long> voters, Collection<Long> learners) {
        return new ConfState(new ArrayList<>(voters), new ArrayList<>(learners), List.of(), List.of(), false);
    }

    public boolean isJoint() {
        return !votersOutgoing.isEmpty();
    }

    /** Whether {@code id} is a member in any role. */
    public boolean contains(long id) {
        return voters.contains(id) || learners.contains(id) || votersOutgoing.contains(id) || learnersNext.contains(id);
    }

    private static List<Long> sorted(Collection<Long> ids) {
        return List.copyOf(new TreeSet<>(ids));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("voters=").append(ids(voters));
        if (isJoint()) {
            b.append("&&").append(ids(votersOutgoing));
        }
        if (!learners.isEmpty()) {
            b.append(" learners=").append(ids(learners));
        }
        if (!learnersNext.isEmpty()) {
            b.append(" learners_next=").append(ids(learnersNext));
        }
        if (autoLeave) {
            b.append(" autoleave");
        }
        return b.toString();
    }

    private static String ids(List<Long> ids) {
        StringBuilder b = new StringBuilder("(");
        for (long id : ids) {
            if (b.length() > 1) {
                b.append(' ');
            }
            b.append(id);
        }
        return b.append(')').toString();
    }
}
