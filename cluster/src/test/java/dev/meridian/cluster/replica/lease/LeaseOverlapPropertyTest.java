package dev.meridian.cluster.replica.lease;

import dev.meridian.cluster.replica.lease.LeaseHistory.Kind;
import dev.meridian.cluster.replica.lease.LeaseHistory.Step;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random requests, transfers and arbitrary proposals from three replicas with stale views and
 * skewed clocks, applied through {@link Leases#checkApply}: no two holders ever serve at once.
 */
class LeaseOverlapPropertyTest {

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void acceptedLeasesOfDifferentHoldersNeverOverlap(@ForAll("histories") List<Step> steps) {
        List<LeaseHistory.Accepted> accepted = new LeaseHistory().run(steps,
                (cur, prev, proposed, proposer) -> Leases.checkApply(cur, prev, proposed, proposer).accepted());
        Statistics.collect(accepted.size() > 3 ? "several leases" : "few leases");
        assertThat(LeaseHistory.violation(accepted)).isEmpty();
    }

    /** The checker can fail: an apply rule that only checks the previous lease lets overlaps through. */
    @Test
    void theCheckerCatchesAnApplyRuleWithoutTheOverlapCheck() {
        boolean caught = false;
        for (long seed = 0; seed < 200 && !caught; seed++) {
            List<Step> steps = randomSteps(new Random(seed), 40);
            List<LeaseHistory.Accepted> accepted = new LeaseHistory().run(steps,
                    (cur, prev, proposed, proposer) -> cur.equals(prev) && proposed.getSequence() > 0
                            && proposed.getReplica().getNodeId() > 0);
            caught = LeaseHistory.violation(accepted).isPresent();
        }
        assertThat(caught).isTrue();
    }

    /** The generator reaches the interesting cases: transfers accepted before the current expiration. */
    @Test
    void theHistoriesContainAcceptedEarlyTransfers() {
        int early = 0;
        for (long seed = 0; seed < 50; seed++) {
            List<LeaseHistory.Accepted> accepted = new LeaseHistory().run(randomSteps(new Random(seed), 60),
                    (cur, prev, proposed, proposer) -> Leases.checkApply(cur, prev, proposed, proposer).accepted());
            for (int i = 1; i < accepted.size(); i++) {
                var before = accepted.get(i - 1).lease();
                var after = accepted.get(i).lease();
                if (before.getReplica().getNodeId() != after.getReplica().getNodeId()
                        && LeaseFixtures.start(after).less(LeaseFixtures.expiration(before))) {
                    early++;
                }
            }
        }
        assertThat(early).isPositive();
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        record Who(int proposer, Kind kind, int target, long advance) {
        }
        Arbitrary<Who> who = Combinators.combine(
                Arbitraries.integers().between(1, LeaseHistory.REPLICAS),
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(1, LeaseHistory.REPLICAS),
                Arbitraries.longs().between(0, 1_500)).as(Who::new);
        Arbitrary<Step> step = Combinators.combine(who,
                Arbitraries.longs().between(-250, 250),
                // Mostly up-to-date views, so that many proposals are accepted; some stale ones.
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)),
                        Tuple.of(1, Arbitraries.integers().between(1, 3))),
                Arbitraries.longs().between(1, 2_000),
                Arbitraries.integers().between(-1, 2),
                Arbitraries.longs().between(-2_000, 2_000))
                .as((w, skew, stale, duration, seqDelta, startOff) -> new Step(w.proposer(), w.kind(), w.target(),
                        w.advance(), skew, stale, duration, seqDelta, startOff));
        return step.list().ofMinSize(5).ofMaxSize(60);
    }

    private static List<Step> randomSteps(Random r, int n) {
        List<Step> steps = new ArrayList<>();
        Kind[] kinds = Kind.values();
        for (int i = 0; i < n; i++) {
            steps.add(new Step(1 + r.nextInt(3), kinds[r.nextInt(kinds.length)], 1 + r.nextInt(3),
                    r.nextLong(1_500), r.nextLong(-250, 251), r.nextInt(4), 1 + r.nextLong(2_000),
                    r.nextInt(-1, 3), r.nextLong(-2_000, 2_001)));
        }
        return steps;
    }
}
