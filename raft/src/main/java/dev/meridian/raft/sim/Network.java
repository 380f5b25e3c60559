package dev.meridian.raft.sim;

/**
 * Which links are cut and which nodes are clogged, with the simulated time each fault ends.
 * Symmetric partitions cut both directions of every link between two sides; one-way faults cut
 * one direction; a clogged node's traffic is held until the clog ends.
 */
final class Network {

    private final long[][] cutUntil;
    private final long[] cloggedUntil;

    Network(int maxNodeId) {
        cutUntil = new long[maxNodeId + 1][maxNodeId + 1];
        cloggedUntil = new long[maxNodeId + 1];
    }

    boolean isCut(long from, long to, long now) {
        return cutUntil[(int) from][(int) to] > now;
    }

    void cut(long from, long to, long until) {
        cutUntil[(int) from][(int) to] = Math.max(cutUntil[(int) from][(int) to], until);
    }

    /** Cuts every link between a node in {@code sideA} (a bit set of ids) and one outside it. */
    void partition(long sideA, int maxId, long until) {
        for (int a = 1; a <= maxId; a++) {
            for (int b = 1; b <= maxId; b++) {
                if (((sideA >> a) & 1) != ((sideA >> b) & 1)) {
                    cut(a, b, until);
                }
            }
        }
    }

    void clog(long node, long until) {
        cloggedUntil[(int) node] = Math.max(cloggedUntil[(int) node], until);
    }

    /** The earliest time traffic between the two can move. */
    long releasedAt(long from, long to) {
        return Math.max(cloggedUntil[(int) from], cloggedUntil[(int) to]);
    }

    void healAll() {
        for (long[] row : cutUntil) {
            java.util.Arrays.fill(row, 0);
        }
        java.util.Arrays.fill(cloggedUntil, 0);
    }
}
