package dev.meridian.raft;

import dev.meridian.raft.tracker.TrackerConfig;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfChangeTest {

    private static ConfChange cc(ConfChange.Transition t, String... changes) {
        return new ConfChange(t, java.util.Arrays.stream(changes).map(c -> new ConfChange.Single(switch (c.charAt(0)) {
            case 'v' -> ConfChange.ChangeType.ADD_VOTER;
            case 'l' -> ConfChange.ChangeType.ADD_LEARNER;
            default -> ConfChange.ChangeType.REMOVE_NODE;
        }, Long.parseLong(c.substring(1)))).toList());
    }

    private static TrackerConfig voters(long... ids) {
        List<Long> v = java.util.Arrays.stream(ids).boxed().toList();
        return ConfChanger.fromConfState(ConfState.of(v, List.of()));
    }

    private static ConfState apply(TrackerConfig cfg, ConfChange c) {
        ConfChanger.Result r = ConfChanger.apply(cfg, c);
        assertThat(r.error()).isNull();
        return ConfChanger.toConfState(r.config());
    }

    @Test
    void simpleChangesTouchAtMostOneVoter() {
        assertThat(apply(voters(1, 2, 3), cc(ConfChange.Transition.AUTO, "v4")).voters()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(apply(voters(1, 2, 3), cc(ConfChange.Transition.AUTO, "r2")).voters()).containsExactly(1L, 3L);
        ConfState learner = apply(voters(1, 2, 3), cc(ConfChange.Transition.AUTO, "l4"));
        assertThat(learner.learners()).containsExactly(4L);
        assertThat(ConfChanger.apply(voters(1), cc(ConfChange.Transition.AUTO, "r1")).error()).contains("removed all voters");
    }

    @Test
    void jointChangesEnterAndLeave() {
        ConfState joint = apply(voters(1, 2, 3), cc(ConfChange.Transition.AUTO, "v4", "r3"));
        assertThat(joint.voters()).containsExactly(1L, 2L, 4L);
        assertThat(joint.votersOutgoing()).containsExactly(1L, 2L, 3L);
        assertThat(joint.autoLeave()).isTrue();
        TrackerConfig jointCfg = ConfChanger.fromConfState(joint);
        assertThat(ConfChanger.apply(jointCfg, cc(ConfChange.Transition.AUTO, "v5")).error()).contains("joint");
        assertThat(ConfChanger.apply(jointCfg, cc(ConfChange.Transition.JOINT_EXPLICIT, "v5")).error()).contains("already joint");
        ConfState left = apply(jointCfg, ConfChange.leaveJoint());
        assertThat(left).isEqualTo(ConfState.of(List.of(1L, 2L, 4L), List.of()));
        assertThat(ConfChanger.apply(voters(1, 2), ConfChange.leaveJoint()).error()).contains("non-joint");
    }

    @Test
    void demotingAnOutgoingVoterWaitsForTheJointStateToEnd() {
        ConfState joint = apply(voters(1, 2, 3), cc(ConfChange.Transition.JOINT_EXPLICIT, "l3"));
        assertThat(joint.learners()).isEmpty();
        assertThat(joint.learnersNext()).containsExactly(3L);
        assertThat(joint.autoLeave()).isFalse();
        ConfState left = apply(ConfChanger.fromConfState(joint), ConfChange.leaveJoint());
        assertThat(left.learners()).containsExactly(3L);
        assertThat(left.voters()).containsExactly(1L, 2L);
    }

    @Test
    void promotingALearnerMakesItAVoter() {
        TrackerConfig cfg = ConfChanger.fromConfState(ConfState.of(List.of(1L), List.of(2L)));
        ConfState cs = apply(cfg, cc(ConfChange.Transition.AUTO, "v2"));
        assertThat(cs.voters()).containsExactly(1L, 2L);
        assertThat(cs.learners()).isEmpty();
    }

    @Property
    void encodingRoundTrips(@ForAll("confChanges") ConfChange c) {
        assertThat(ConfChange.decode(c.encode())).isEqualTo(c);
    }

    @Property
    void encodingWithContextRoundTrips(@ForAll("confChanges") ConfChange c, @ForAll byte[] context) {
        ConfChange withContext = c.withContext(context);
        ConfChange decoded = ConfChange.decode(withContext.encode());
        assertThat(decoded).isEqualTo(withContext).hasSameHashCodeAs(withContext);
        assertThat(decoded.context()).isEqualTo(context);
    }

    @Test
    void theEncodingWithoutContextIsTheOldOneAndStillDecodes() {
        // Written by hand in the format that predates contexts: transition, count, (type, id)*.
        byte[] old = ByteBuffer.allocate(1 + 4 + 2 * 9).put((byte) ConfChange.Transition.JOINT_IMPLICIT.ordinal())
                .putInt(2).put((byte) ConfChange.ChangeType.ADD_LEARNER.ordinal()).putLong(4)
                .put((byte) ConfChange.ChangeType.REMOVE_NODE.ordinal()).putLong(3).array();
        ConfChange decoded = ConfChange.decode(old);
        assertThat(decoded).isEqualTo(cc(ConfChange.Transition.JOINT_IMPLICIT, "l4", "r3"));
        assertThat(decoded.context()).isEmpty();
        assertThat(decoded.encode()).isEqualTo(old);
        assertThat(ConfChange.leaveJoint().encode()).hasSize(5);
    }

    @Test
    void contextTakesPartInEqualityByContent() {
        ConfChange a = cc(ConfChange.Transition.AUTO, "v4").withContext(new byte[] {1, 2});
        ConfChange b = cc(ConfChange.Transition.AUTO, "v4").withContext(new byte[] {1, 2});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(cc(ConfChange.Transition.AUTO, "v4"));
        assertThat(a.toString()).isEqualTo("v4 context=0102");
        assertThat(cc(ConfChange.Transition.AUTO, "v4").withContext(new byte[0])).isEqualTo(cc(ConfChange.Transition.AUTO, "v4"));
        byte[] mine = {7};
        ConfChange c = ConfChange.leaveJoint().withContext(mine);
        mine[0] = 8;
        c.context()[0] = 9;
        assertThat(c.context()).containsExactly(7);
    }

    @Test
    void malformedEncodingsAreRefused() {
        byte[] good = cc(ConfChange.Transition.AUTO, "v4").withContext(new byte[] {1, 2, 3}).encode();
        assertThatThrownBy(() -> ConfChange.decode(java.util.Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfChange.decode(java.util.Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] badTransition = good.clone();
        badTransition[0] = 9;
        assertThatThrownBy(() -> ConfChange.decode(badTransition)).isInstanceOf(IllegalArgumentException.class);
        byte[] zeroLengthContext = ByteBuffer.allocate(9).put((byte) 0).putInt(0).putInt(0).array();
        assertThatThrownBy(() -> ConfChange.decode(zeroLengthContext)).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<ConfChange> confChanges() {
        Arbitrary<ConfChange.Single> single = net.jqwik.api.Combinators.combine(
                Arbitraries.of(ConfChange.ChangeType.class), Arbitraries.longs().between(1, Long.MAX_VALUE))
                .as(ConfChange.Single::new);
        return net.jqwik.api.Combinators.combine(Arbitraries.of(ConfChange.Transition.class), single.list().ofMaxSize(5))
                .as(ConfChange::new);
    }
}
