package dev.meridian.raft;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A membership change, proposed with {@link RawNode#proposeConfChange} and carried in a
 * {@link EntryType#CONF_CHANGE} entry. It takes effect on a node when that node applies the
 * entry ({@link RawNode#applyConfChange}), not when it is appended.
 *
 * <ul>
 *   <li>No changes: leave the joint configuration.</li>
 *   <li>One change with {@link Transition#AUTO}: a simple change, allowed when it changes at
 *       most one voter (a majority of the old and of the new configuration then overlap).</li>
 *   <li>Otherwise: enter a joint configuration C(old,new) in which decisions need majorities of
 *       both; left automatically ({@code AUTO}, {@code JOINT_IMPLICIT}) or by an explicit empty
 *       change ({@code JOINT_EXPLICIT}).</li>
 * </ul>
 */
public record ConfChange(Transition transition, List<Single> changes) {

    public enum ChangeType { ADD_VOTER, ADD_LEARNER, REMOVE_NODE }

    public enum Transition {
        /** Simple if possible, else joint and left automatically. */
        AUTO,
        /** Always joint, left automatically by the leader. */
        JOINT_IMPLICIT,
        /** Always joint, left only by an explicit empty change. */
        JOINT_EXPLICIT
    }

    /** One node's change. */
    public record Single(ChangeType type, long nodeId) {
        @Override
        public String toString() {
            return switch (type) {
                case ADD_VOTER -> "v" + nodeId;
                case ADD_LEARNER -> "l" + nodeId;
                case REMOVE_NODE -> "r" + nodeId;
            };
        }
    }

    public ConfChange {
        changes = List.copyOf(changes);
    }

    public static ConfChange leaveJoint() {
        return new ConfChange(Transition.AUTO, List.of());
    }

    public boolean isLeaveJoint() {
        return changes.isEmpty();
    }

    /** Whether applying this enters a joint configuration, and whether that is left automatically. */
    boolean entersJoint() {
        return changes.size() > 1 || (changes.size() == 1 && transition != Transition.AUTO);
    }

    boolean autoLeave() {
        return transition != Transition.JOINT_EXPLICIT;
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + changes.size() * 9);
        b.put((byte) transition.ordinal());
        b.putInt(changes.size());
        for (Single s : changes) {
            b.put((byte) s.type().ordinal());
            b.putLong(s.nodeId());
        }
        return b.array();
    }

    public static ConfChange decode(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        if (b.remaining() < 5) {
            throw new IllegalArgumentException("conf change too short: " + data.length + " bytes");
        }
        Transition t = Transition.values()[b.get()];
        int n = b.getInt();
        if (n < 0 || b.remaining() != n * 9) {
            throw new IllegalArgumentException("malformed conf change: " + n + " changes in " + data.length + " bytes");
        }
        List<Single> changes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            changes.add(new Single(ChangeType.values()[b.get()], b.getLong()));
        }
        return new ConfChange(t, changes);
    }

    @Override
    public String toString() {
        if (changes.isEmpty()) {
            return "leave-joint";
        }
        StringBuilder b = new StringBuilder();
        for (Single s : changes) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(s);
        }
        if (transition != Transition.AUTO) {
            b.append(transition == Transition.JOINT_EXPLICIT ? " explicit" : " implicit");
        }
        return b.toString();
    }
}
