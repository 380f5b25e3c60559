package dev.meridian.raft.sim;

import java.util.Optional;
import java.util.TreeMap;

/** At most one leader per term, over all nodes and the whole run (crashes included). */
final class ElectionSafetyChecker {

    private final TreeMap<Long, Long> leaderOfTerm = new TreeMap<>();

    Optional<Violation> onLeader(long term, long node) {
        Long before = leaderOfTerm.putIfAbsent(term, node);
        if (before != null && before != node) {
            return Optional.of(new Violation(Violation.Check.ELECTION_SAFETY, 0,
                    "nodes " + before + " and " + node + " both became leader of term " + term));
        }
        return Optional.empty();
    }

    int elections() {
        return leaderOfTerm.size();
    }
}
