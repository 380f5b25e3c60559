package dev.meridian.raft;

import dev.meridian.raft.quorum.JointConfig;
import dev.meridian.raft.quorum.MajorityConfig;
import dev.meridian.raft.tracker.TrackerConfig;

import java.util.TreeSet;

/**
 * Computes the configuration a {@link ConfChange} leads to, without touching anything: the
 * leader uses it to validate a proposal, every node to apply a committed change. An invalid
 * change yields an error message, not an exception, because proposals are input.
 */
final class ConfChanger {

    record Result(TrackerConfig config, String error) {
        boolean ok() {
            return error == null;
        }
    }

    private final TreeSet<Long> incoming;
    private final TreeSet<Long> outgoing;
    private final TreeSet<Long> learners;
    private final TreeSet<Long> learnersNext;

    private ConfChanger(TrackerConfig cfg) {
        incoming = new TreeSet<>(cfg.voters().incoming().voters());
        outgoing = new TreeSet<>(cfg.voters().outgoing().voters());
        learners = new TreeSet<>(cfg.learners());
        learnersNext = new TreeSet<>(cfg.learnersNext());
    }

    static Result apply(TrackerConfig cfg, ConfChange cc) {
        ConfChanger c = new ConfChanger(cfg);
        if (cc.isLeaveJoint()) {
            return c.leaveJoint(cfg);
        }
        if (cc.entersJoint()) {
            return c.enterJoint(cfg, cc);
        }
        return c.simple(cfg, cc);
    }

    /** The configuration a persisted {@link ConfState} describes. */
    static TrackerConfig fromConfState(ConfState cs) {
        return new TrackerConfig(new JointConfig(MajorityConfig.of(cs.voters()), MajorityConfig.of(cs.votersOutgoing())),
                new TreeSet<>(cs.learners()), new TreeSet<>(cs.learnersNext()), cs.autoLeave());
    }

    static ConfState toConfState(TrackerConfig cfg) {
        return new ConfState(cfg.voters().incoming().voters().stream().toList(), cfg.learners().stream().toList(),
                cfg.voters().outgoing().voters().stream().toList(), cfg.learnersNext().stream().toList(), cfg.autoLeave());
    }

    private Result enterJoint(TrackerConfig cfg, ConfChange cc) {
        if (cfg.isJoint()) {
            return error("config is already joint");
        }
        if (incoming.isEmpty()) {
            return error("cannot make a zero-voter config joint");
        }
        outgoing.addAll(incoming);
        String err = applyChanges(cc);
        return err != null ? error(err) : result(cc.autoLeave());
    }

    private Result leaveJoint(TrackerConfig cfg) {
        if (!cfg.isJoint()) {
            return error("cannot leave a non-joint config");
        }
        learners.addAll(learnersNext);
        learnersNext.clear();
        outgoing.clear();
        return result(false);
    }

    private Result simple(TrackerConfig cfg, ConfChange cc) {
        if (cfg.isJoint()) {
            return error("cannot apply a simple config change in a joint config");
        }
        TreeSet<Long> before = new TreeSet<>(incoming);
        String err = applyChanges(cc);
        if (err != null) {
            return error(err);
        }
        TreeSet<Long> changed = new TreeSet<>(before);
        changed.addAll(incoming);
        TreeSet<Long> both = new TreeSet<>(before);
        both.retainAll(incoming);
        changed.removeAll(both);
        if (changed.size() > 1) {
            return error("more than one voter changed without entering a joint config");
        }
        return result(false);
    }

    private String applyChanges(ConfChange cc) {
        for (ConfChange.Single s : cc.changes()) {
            if (s.nodeId() == 0) {
                return "node id 0 is reserved";
            }
            switch (s.type()) {
                case ADD_VOTER -> makeVoter(s.nodeId());
                case ADD_LEARNER -> makeLearner(s.nodeId());
                case REMOVE_NODE -> remove(s.nodeId());
            }
        }
        return incoming.isEmpty() ? "removed all voters" : null;
    }

    private void makeVoter(long id) {
        learners.remove(id);
        learnersNext.remove(id);
        incoming.add(id);
    }

    /** A voter of the outgoing config cannot stop voting while joint: it becomes a learner on leaving. */
    private void makeLearner(long id) {
        if (learners.contains(id)) {
            return;
        }
        incoming.remove(id);
        learnersNext.remove(id);
        if (outgoing.contains(id)) {
            learnersNext.add(id);
        } else {
            learners.add(id);
        }
    }

    private void remove(long id) {
        incoming.remove(id);
        learners.remove(id);
        learnersNext.remove(id);
    }

    private Result result(boolean autoLeave) {
        return new Result(new TrackerConfig(new JointConfig(MajorityConfig.of(incoming), MajorityConfig.of(outgoing)),
                learners, learnersNext, autoLeave && !outgoing.isEmpty()), null);
    }

    private static Result error(String message) {
        return new Result(null, message);
    }
}
