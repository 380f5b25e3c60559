package dev.meridian.raft.sim;

import java.util.PriorityQueue;

/**
 * The discrete-event scheduler: events ordered by (simulated time, sequence number). The
 * sequence number breaks ties in scheduling order, so a run depends only on its seed.
 */
final class EventQueue {

    record Scheduled(long time, long seq, SimEvent event) {
    }

    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>((a, b) -> a.time != b.time
            ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private long nextSeq;
    private long now;

    long now() {
        return now;
    }

    void at(long time, SimEvent e) {
        queue.add(new Scheduled(Math.max(time, now), nextSeq++, e));
    }

    void after(long delay, SimEvent e) {
        at(now + delay, e);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Removes the next event and advances the clock to it. */
    Scheduled next() {
        Scheduled s = queue.poll();
        now = s.time;
        return s;
    }
}
