package dev.meridian.cluster.replica.lease;

import dev.meridian.cluster.replica.lease.LeaseApplyOutcome.Code;
import dev.meridian.cluster.replica.lease.LeaseStatus.State;
import dev.meridian.cluster.time.Timestamps;
import dev.meridian.proto.kv.Lease;
import dev.meridian.proto.kv.ReplicaDescriptor;
import dev.meridian.storage.mvcc.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static dev.meridian.cluster.replica.lease.LeaseFixtures.expiration;
import static dev.meridian.cluster.replica.lease.LeaseFixtures.lease;
import static dev.meridian.cluster.replica.lease.LeaseFixtures.replica;
import static dev.meridian.cluster.replica.lease.LeaseFixtures.start;
import static dev.meridian.cluster.replica.lease.LeaseFixtures.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class LeasesTest {

    private static final Duration MAX_OFFSET = Duration.ofNanos(250);
    private static final Duration DURATION = Duration.ofNanos(1_000);
    /** Node 1 holds [100, 1000); stasis from 750. */
    private static final Lease HELD_BY_1 = lease(1, 5, 100, 1_000);

    // ---- status ----

    static Stream<Arguments> statusCases() {
        return Stream.of(
                arguments("at start", HELD_BY_1, ts(100), State.VALID),
                arguments("before stasis", HELD_BY_1, Timestamp.of(749, Integer.MAX_VALUE), State.VALID),
                arguments("stasis begins at expiration - max-offset", HELD_BY_1, ts(750), State.STASIS),
                arguments("last moment of stasis", HELD_BY_1, Timestamp.of(999, 5), State.STASIS),
                arguments("expired at expiration", HELD_BY_1, ts(1_000), State.EXPIRED),
                arguments("long expired", HELD_BY_1, ts(5_000), State.EXPIRED),
                arguments("empty lease", Lease.getDefaultInstance(), ts(500), State.NONE),
                arguments("stasis keeps the logical part", withExpiration(HELD_BY_1, Timestamp.of(1_000, 3)),
                        Timestamp.of(750, 2), State.VALID),
                arguments("stasis keeps the logical part (2)", withExpiration(HELD_BY_1, Timestamp.of(1_000, 3)),
                        Timestamp.of(750, 3), State.STASIS),
                arguments("expiration keeps the logical part", withExpiration(HELD_BY_1, Timestamp.of(1_000, 3)),
                        Timestamp.of(1_000, 2), State.STASIS),
                arguments("lease shorter than max-offset is all stasis", lease(1, 1, 10, 200), ts(10), State.STASIS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statusCases")
    void status(String name, Lease lease, Timestamp now, State expected) {
        LeaseStatus s = Leases.status(lease, now, MAX_OFFSET, 1);
        assertThat(s.state()).isEqualTo(expected);
        assertThat(s.lease()).isEqualTo(lease);
        assertThat(s.now()).isEqualTo(now);
        assertThat(s.canServe()).isEqualTo(expected == State.VALID);
    }

    @Test
    void ownership() {
        LeaseStatus mine = Leases.status(HELD_BY_1, ts(200), MAX_OFFSET, 1);
        LeaseStatus theirs = Leases.status(HELD_BY_1, ts(200), MAX_OFFSET, 2);
        LeaseStatus none = Leases.status(Lease.getDefaultInstance(), ts(200), MAX_OFFSET, 0);
        assertThat(mine.ownedLocally()).isTrue();
        assertThat(mine.ownedBy(1)).isTrue();
        assertThat(mine.ownedBy(2)).isFalse();
        assertThat(theirs.ownedLocally()).isFalse();
        assertThat(theirs.canServe()).isFalse();
        assertThat(theirs.ownedBy(1)).isTrue();
        assertThat(none.ownedLocally()).isFalse();
        assertThat(none.ownedBy(0)).isFalse();
    }

    @Test
    void statusRefusesANegativeMaxOffset() {
        assertThatThrownBy(() -> Leases.status(HELD_BY_1, ts(1), Duration.ofNanos(-1), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- request ----

    record Requested(long sequence, long start, long expiration, long term) {
    }

    static Stream<Arguments> requestCases() {
        Lease empty = Lease.getDefaultInstance();
        return Stream.of(
                arguments("first lease", empty, 1L, 50L, new Requested(1, 50, 1_050, 7)),
                arguments("extension keeps sequence, start, term", HELD_BY_1, 1L, 400L,
                        new Requested(5, 100, 1_400, 1)),
                arguments("extension in stasis", HELD_BY_1, 1L, 900L, new Requested(5, 100, 1_900, 1)),
                arguments("extension never shortens", lease(1, 5, 100, 5_000), 1L, 400L,
                        new Requested(5, 100, 5_000, 1)),
                arguments("own expired lease is renewed as a new one", HELD_BY_1, 1L, 1_500L,
                        new Requested(6, 1_500, 2_500, 7)),
                arguments("another holder starts at the current expiration", HELD_BY_1, 2L, 400L,
                        new Requested(6, 1_000, 2_000, 7)),
                arguments("another holder after expiry starts now", HELD_BY_1, 2L, 3_000L,
                        new Requested(6, 3_000, 4_000, 7)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void request(String name, Lease current, long me, long now, Requested expected) {
        Lease l = Leases.request(current, replica(me), ts(now), DURATION, 7);
        assertThat(new Requested(l.getSequence(), start(l).wallNanos(), expiration(l).wallNanos(), l.getProposedTerm()))
                .isEqualTo(expected);
        assertThat(Leases.sameReplica(l.getReplica(), replica(me))).isTrue();
        // What request() produces from an up-to-date view is always accepted.
        assertThat(Leases.checkApply(current, current, l, me).code()).isEqualTo(Code.ACCEPTED);
    }

    @Test
    void requestRefusesBadArguments() {
        assertThatThrownBy(() -> Leases.request(HELD_BY_1, replica(1), ts(1), Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> Leases.request(HELD_BY_1, ReplicaDescriptor.getDefaultInstance(), ts(1), DURATION, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node id");
        assertThatThrownBy(() -> Leases.request(HELD_BY_1, replica(1), ts(1), DURATION, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("term");
        assertThatThrownBy(() -> Leases.request(HELD_BY_1, replica(1), ts(Long.MAX_VALUE - 1), DURATION, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overflow");
    }

    // ---- transfer ----

    @Test
    void transferStartsNowWithTheNextSequence() {
        Lease t = Leases.transfer(HELD_BY_1, replica(2), ts(400), DURATION);
        assertThat(Leases.sameReplica(t.getReplica(), replica(2))).isTrue();
        assertThat(t.getSequence()).isEqualTo(6);
        assertThat(start(t)).isEqualTo(ts(400));
        assertThat(expiration(t)).isEqualTo(ts(1_400));
        assertThat(Leases.checkApply(HELD_BY_1, HELD_BY_1, t, 1).accepted()).isTrue();
    }

    @Test
    void transferOfALeaseThatStartsInTheFutureStartsAtItsStart() {
        Lease future = lease(1, 5, 1_000, 2_000);
        Lease t = Leases.transfer(future, replica(2), ts(400), DURATION);
        assertThat(start(t)).isEqualTo(ts(1_000));
        assertThat(expiration(t)).isEqualTo(ts(2_000));
        assertThat(Leases.checkApply(future, future, t, 1).accepted()).isTrue();
    }

    @Test
    void transferRefusesBadArguments() {
        assertThatThrownBy(() -> Leases.transfer(Lease.getDefaultInstance(), replica(2), ts(1), DURATION))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no lease");
        assertThatThrownBy(() -> Leases.transfer(HELD_BY_1, replica(1), ts(1), DURATION))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already holds");
        assertThatThrownBy(() -> Leases.transfer(HELD_BY_1, replica(2), ts(1), Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- checkApply ----

    static Stream<Arguments> applyCases() {
        Lease empty = Lease.getDefaultInstance();
        return Stream.of(
                arguments("first lease", empty, empty, lease(2, 1, 0, 10), 2L, Code.ACCEPTED),
                arguments("first lease must have sequence 1", empty, empty, lease(2, 2, 0, 10), 2L,
                        Code.SEQUENCE_MISMATCH),
                arguments("extension", HELD_BY_1, HELD_BY_1, lease(1, 5, 100, 2_000), 1L, Code.ACCEPTED),
                arguments("extension to the same expiration", HELD_BY_1, HELD_BY_1, HELD_BY_1, 1L, Code.ACCEPTED),
                arguments("extension that shortens", HELD_BY_1, HELD_BY_1, lease(1, 5, 100, 999), 1L, Code.SHORTENED),
                arguments("extension that moves start", HELD_BY_1, HELD_BY_1, lease(1, 5, 101, 2_000), 1L,
                        Code.START_CHANGED),
                arguments("new holder after expiration", HELD_BY_1, HELD_BY_1, lease(2, 6, 1_000, 2_000), 2L,
                        Code.ACCEPTED),
                arguments("new holder overlapping", HELD_BY_1, HELD_BY_1, lease(2, 6, 999, 2_000), 2L,
                        Code.OVERLAPS_CURRENT),
                arguments("transfer by the holder", HELD_BY_1, HELD_BY_1, lease(2, 6, 500, 2_000), 1L, Code.ACCEPTED),
                arguments("transfer by the holder at the current start", HELD_BY_1, HELD_BY_1,
                        lease(2, 6, 100, 2_000), 1L, Code.ACCEPTED),
                arguments("transfer reaching before the current start", HELD_BY_1, HELD_BY_1,
                        lease(2, 6, 99, 2_000), 1L, Code.OVERLAPS_CURRENT),
                arguments("transfer proposed by a third node", HELD_BY_1, HELD_BY_1, lease(2, 6, 500, 2_000), 3L,
                        Code.OVERLAPS_CURRENT),
                arguments("new holder skipping a sequence", HELD_BY_1, HELD_BY_1, lease(2, 7, 1_000, 2_000), 2L,
                        Code.SEQUENCE_MISMATCH),
                arguments("new holder reusing the sequence", HELD_BY_1, HELD_BY_1, lease(2, 5, 1_000, 2_000), 2L,
                        Code.SEQUENCE_MISMATCH),
                arguments("renewal of own expired lease", HELD_BY_1, HELD_BY_1, lease(1, 6, 1_500, 2_000), 1L,
                        Code.ACCEPTED),
                arguments("stale previous lease", HELD_BY_1, lease(1, 4, 0, 100), lease(2, 6, 1_000, 2_000), 2L,
                        Code.PREVIOUS_LEASE_CHANGED),
                arguments("previous lease extended meanwhile", lease(1, 5, 100, 1_500), HELD_BY_1,
                        lease(2, 6, 500, 2_000), 1L, Code.PREVIOUS_LEASE_CHANGED),
                arguments("empty interval", HELD_BY_1, HELD_BY_1, lease(2, 6, 2_000, 2_000), 2L, Code.EMPTY_INTERVAL),
                arguments("inverted interval", HELD_BY_1, HELD_BY_1, lease(2, 6, 2_000, 1_500), 2L,
                        Code.EMPTY_INTERVAL),
                arguments("no holder", HELD_BY_1, HELD_BY_1,
                        lease(2, 6, 1_000, 2_000).toBuilder().clearReplica().build(), 2L, Code.MALFORMED),
                arguments("empty proposal", HELD_BY_1, HELD_BY_1, Lease.getDefaultInstance(), 2L, Code.MALFORMED),
                arguments("negative timestamp", HELD_BY_1, HELD_BY_1, lease(2, 6, 1_000, 2_000).toBuilder()
                        .setStart(dev.meridian.proto.kv.Timestamp.newBuilder().setWallNanos(-5)).build(), 2L,
                        Code.MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("applyCases")
    void checkApply(String name, Lease current, Lease prev, Lease proposed, long proposer, Code expected) {
        LeaseApplyOutcome outcome = Leases.checkApply(current, prev, proposed, proposer);
        assertThat(outcome.code()).isEqualTo(expected);
        assertThat(outcome.accepted()).isEqualTo(expected == Code.ACCEPTED);
        assertThat(outcome.detail().isEmpty()).isEqualTo(expected == Code.ACCEPTED);
    }

    private static Lease withExpiration(Lease l, Timestamp exp) {
        return l.toBuilder().setExpiration(Timestamps.toProto(exp)).build();
    }
}
