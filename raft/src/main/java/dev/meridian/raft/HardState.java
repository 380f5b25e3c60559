package dev.meridian.raft;

/**
 * What a node must persist before it sends any message of the same {@link Ready}: its term, its
 * vote in that term (election safety rests on never forgetting a vote), and the commit index.
 *
 * @param vote the node voted for in {@code term}, or 0 for none
 */
public record HardState(long term, long vote, long commit) {

    public static final HardState EMPTY = new HardState(0, 0, 0);

    public boolean isEmpty() {
        return equals(EMPTY);
    }
}
