package dev.meridian.raft.sim;

import dev.meridian.raft.ConfChange;
import dev.meridian.raft.ConfChange.ChangeType;
import dev.meridian.raft.ConfChange.Single;
import dev.meridian.raft.ConfState;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Chooses the next membership change while keeping the group between 3 and 7 voters: add a
 * voter or learner, promote a learner, remove a voter or learner, or replace a voter through a
 * joint configuration.
 */
final class MembershipPlanner {

    private MembershipPlanner() {
    }

    /** The change to propose, or null when the drawn kind does not fit the configuration. */
    static ConfChange next(ConfState cs, SplittableRandom rnd, LongSupplier joiner) {
        List<Long> voters = cs.voters();
        return switch (rnd.nextInt(5)) {
            case 0 -> voters.size() < SimOptions.MAX_NODES ? add(rnd.nextBoolean() ? ChangeType.ADD_VOTER : ChangeType.ADD_LEARNER, joiner) : null;
            case 1 -> !cs.learners().isEmpty() && voters.size() < SimOptions.MAX_NODES
                    ? simple(ChangeType.ADD_VOTER, cs.learners().get(rnd.nextInt(cs.learners().size()))) : null;
            case 2 -> voters.size() > SimOptions.MIN_NODES ? simple(ChangeType.REMOVE_NODE, voters.get(rnd.nextInt(voters.size()))) : null;
            case 3 -> !cs.learners().isEmpty() ? simple(ChangeType.REMOVE_NODE, cs.learners().get(rnd.nextInt(cs.learners().size()))) : null;
            default -> replace(voters.get(rnd.nextInt(voters.size())), joiner);
        };
    }

    private static ConfChange add(ChangeType type, LongSupplier joiner) {
        long id = joiner.getAsLong();
        return id == 0 ? null : simple(type, id);
    }

    private static ConfChange replace(long leaving, LongSupplier joiner) {
        long id = joiner.getAsLong();
        if (id == 0) {
            return null;
        }
        return new ConfChange(ConfChange.Transition.JOINT_IMPLICIT,
                List.of(new Single(ChangeType.ADD_VOTER, id), new Single(ChangeType.REMOVE_NODE, leaving)));
    }

    private static ConfChange simple(ChangeType type, long id) {
        return new ConfChange(ConfChange.Transition.AUTO, List.of(new Single(type, id)));
    }
}
