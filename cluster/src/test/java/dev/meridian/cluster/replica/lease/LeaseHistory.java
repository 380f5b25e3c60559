package dev.meridian.cluster.replica.lease;

import dev.meridian.proto.kv.Lease;
import dev.meridian.storage.mvcc.Timestamp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.meridian.cluster.replica.lease.LeaseFixtures.expiration;
import static dev.meridian.cluster.replica.lease.LeaseFixtures.lease;
import static dev.meridian.cluster.replica.lease.LeaseFixtures.replica;
import static dev.meridian.cluster.replica.lease.LeaseFixtures.start;

/**
 * A model of three replicas proposing leases from possibly stale views, with every proposal
 * decided by an apply rule, and a checker for the no-overlap invariant over what was accepted.
 */
final class LeaseHistory {

    static final int REPLICAS = 3;

    /** How a proposer builds its proposal. */
    enum Kind { REQUEST, TRANSFER, ARBITRARY }

    /**
     * One proposal.
     *
     * @param proposer  node 1..3
     * @param kind      how it is built
     * @param target    for TRANSFER and ARBITRARY: the node named in the new lease
     * @param advance   how far true time moves before the proposal
     * @param skew      the proposer's clock offset from true time
     * @param staleness how many accepted leases the proposer's view is behind
     * @param duration  the lease duration asked for
     * @param seqDelta  for ARBITRARY: sequence relative to the view (-1..2)
     * @param startOff  for ARBITRARY: start relative to the proposer's now
     */
    record Step(int proposer, Kind kind, int target, long advance, long skew, int staleness, long duration,
                int seqDelta, long startOff) {
    }

    /** The rule under test; {@link Leases#checkApply} in real use. */
    interface ApplyRule {
        boolean accept(Lease current, Lease prev, Lease proposed, long proposerNodeId);
    }

    record Accepted(Lease lease, long proposer) {
    }

    private final List<Accepted> accepted = new ArrayList<>();
    private final List<Lease> applied = new ArrayList<>(List.of(Lease.getDefaultInstance()));
    private long trueTime = 1_000;

    List<Accepted> run(List<Step> steps, ApplyRule rule) {
        for (Step s : steps) {
            trueTime += s.advance();
            Lease view = applied.get(Math.max(0, applied.size() - 1 - s.staleness()));
            Timestamp now = Timestamp.ofWall(Math.max(0, trueTime + s.skew()));
            Lease proposed = propose(s, view, now);
            if (proposed == null) {
                continue;
            }
            Lease current = applied.getLast();
            if (rule.accept(current, view, proposed, s.proposer())) {
                applied.add(proposed);
                accepted.add(new Accepted(proposed, s.proposer()));
            }
        }
        return accepted;
    }

    private static Lease propose(Step s, Lease view, Timestamp now) {
        Duration d = Duration.ofNanos(s.duration());
        return switch (s.kind()) {
            case REQUEST -> Leases.request(view, replica(s.proposer()), now, d, 1);
            case TRANSFER -> Leases.isEmpty(view) || view.getReplica().getNodeId() == s.target()
                    ? null : Leases.transfer(view, replica(s.target()), now, d);
            case ARBITRARY -> {
                long start = Math.max(0, now.wallNanos() + s.startOff());
                yield lease(s.target(), view.getSequence() + s.seqDelta(), start, start + s.duration());
            }
        };
    }

    /** A holder's uninterrupted time under one sequence: [start, end). */
    private record Tenure(long holder, long sequence, Timestamp start, Timestamp end, long proposer) {
    }

    /**
     * Empty if the accepted leases never let two holders serve at once, else what went wrong. A
     * tenure whose successor starts before it expires ends at the successor's start: that is
     * allowed only when the successor was proposed by the tenure's holder (the holder's
     * promise to stop serving there); every pair of tenures must then be disjoint.
     */
    static Optional<String> violation(List<Accepted> history) {
        List<Tenure> tenures = new ArrayList<>();
        for (Accepted a : history) {
            Lease l = a.lease();
            Tenure last = tenures.isEmpty() ? null : tenures.getLast();
            long holder = l.getReplica().getNodeId();
            if (last != null && last.holder() == holder && last.sequence() == l.getSequence()) {
                if (!start(l).equals(last.start())) {
                    return Optional.of("extension moved the start: " + l);
                }
                tenures.set(tenures.size() - 1, new Tenure(holder, last.sequence(), last.start(),
                        last.end().forward(expiration(l)), last.proposer()));
            } else {
                tenures.add(new Tenure(holder, l.getSequence(), start(l), expiration(l), a.proposer()));
            }
        }
        for (int i = 0; i + 1 < tenures.size(); i++) {
            Tenure cur = tenures.get(i);
            Tenure next = tenures.get(i + 1);
            if (next.sequence() <= cur.sequence()) {
                return Optional.of("sequence did not grow: " + cur + " then " + next);
            }
            if (next.start().less(cur.end())) {
                if (next.proposer() != cur.holder()) {
                    return Optional.of("cut short by a non-holder: " + cur + " then " + next);
                }
                tenures.set(i, new Tenure(cur.holder(), cur.sequence(), cur.start(), next.start(), cur.proposer()));
            }
        }
        for (int i = 0; i < tenures.size(); i++) {
            for (int j = i + 1; j < tenures.size(); j++) {
                Tenure a = tenures.get(i);
                Tenure b = tenures.get(j);
                boolean disjoint = !b.start().less(a.end()) || !a.start().less(b.end());
                if (!disjoint || a.start().compareTo(a.end()) > 0) {
                    return Optional.of("overlap: " + a + " and " + b);
                }
            }
        }
        return Optional.empty();
    }
}
