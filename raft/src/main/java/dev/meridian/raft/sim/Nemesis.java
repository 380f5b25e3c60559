package dev.meridian.raft.sim;

import dev.meridian.raft.ConfChange;
import dev.meridian.raft.ConfState;
import dev.meridian.raft.Role;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The adversary and the clients: each round it draws, by the seed's {@link FaultMix}, which
 * faults to inject and which requests to make (proposals, membership changes, leadership
 * transfers, compactions).
 */
final class Nemesis {

    private final SimCluster cluster;
    private final SplittableRandom rnd;
    static final int MAX_UNCOMMITTED = 32;

    private int proposals;

    Nemesis(SimCluster cluster, SplittableRandom rnd) {
        this.cluster = cluster;
        this.rnd = rnd;
    }

    void round() {
        FaultMix mix = cluster.mix;
        if (chance(mix.proposeRate())) {
            propose();
        }
        if (chance(mix.partitionRate())) {
            partition();
        }
        if (chance(mix.oneWayRate())) {
            cutOneWay();
        }
        if (chance(mix.clogRate())) {
            clog();
        }
        if (chance(mix.crashRate())) {
            crash();
        }
        if (chance(mix.confChangeRate())) {
            changeMembership();
        }
        if (chance(mix.transferRate())) {
            transferLeadership();
        }
        if (chance(mix.compactRate())) {
            pickUp().ifPresent(n -> cluster.compact(n, rnd.nextInt(3)));
        }
    }

    private boolean chance(double p) {
        return rnd.nextDouble() < p;
    }

    private long faultEnd() {
        return cluster.queue.now() + 1 + rnd.nextInt(cluster.mix.faultMs());
    }

    /** A client write, mostly to a node that thinks it leads, else to any node (forwarded). */
    private void propose() {
        SimNode target = rnd.nextInt(10) < 7 ? leader().orElse(null) : null;
        if (target == null) {
            target = pickUp().orElse(null);
        }
        if (target == null || backlogged(target)) {
            return;
        }
        String payload = "p" + (++proposals) + "@" + target.id;
        cluster.log("client proposes %s to n%d: %s", payload, target.id,
                target.raw.propose(payload.getBytes(StandardCharsets.UTF_8)));
        cluster.pump(target);
    }

    /**
     * Like a real client with bounded outstanding requests, stop writing to a leader far ahead
     * of its commit index; otherwise a leader cut off from its followers piles up more
     * entries than any bounded liveness phase could replicate.
     */
    private boolean backlogged(SimNode n) {
        return n.role == Role.LEADER && n.disk.current().lastIndex() - n.raw.status().hardState().commit() > MAX_UNCOMMITTED;
    }

    /** Proposes the liveness probe to every node that thinks it leads. */
    void proposeProbe(byte[] payload) {
        for (SimNode n : cluster.nodes.values()) {
            if (n.up() && n.role == Role.LEADER) {
                n.raw.propose(payload);
                cluster.pump(n);
            }
        }
    }

    /** Cuts a random nonempty proper subset of the nodes off from the rest. */
    private void partition() {
        List<Long> ids = new ArrayList<>(cluster.nodes.keySet());
        long side = 1L << ids.get(rnd.nextInt(ids.size()));
        long other = 1L << ids.get(rnd.nextInt(ids.size()));
        for (long id : ids) {
            if ((1L << id) != other && rnd.nextInt(3) == 0) {
                side |= 1L << id;
            }
        }
        side &= ~other;
        if (side == 0) {
            return;
        }
        long until = faultEnd();
        cluster.network.partition(side, SimCluster.MAX_NODE_ID, until);
        cluster.log("partition: side %s cut off until t=%d", Long.toBinaryString(side), until);
    }

    private void cutOneWay() {
        List<Long> ids = new ArrayList<>(cluster.nodes.keySet());
        long from = ids.get(rnd.nextInt(ids.size()));
        long to = ids.get(rnd.nextInt(ids.size()));
        if (from != to) {
            long until = faultEnd();
            cluster.network.cut(from, to, until);
            cluster.log("one-way cut n%d -> n%d until t=%d", from, to, until);
        }
    }

    private void clog() {
        pickUp().ifPresent(n -> {
            long until = faultEnd();
            cluster.network.clog(n.id, until);
            cluster.log("n%d clogged until t=%d", n.id, until);
        });
    }

    /** Crashes a node while fewer than half of the initial group are down. */
    private void crash() {
        long down = cluster.nodes.values().stream().filter(n -> n.life == SimNode.Life.CRASHED).count();
        if (down >= (cluster.plan.nodes() - 1) / 2 + (rnd.nextInt(4) == 0 ? 1 : 0)) {
            return;
        }
        pickUp().ifPresent(n -> {
            cluster.crash(n);
            cluster.queue.at(faultEnd(), new SimEvent.Restart(n.id));
        });
    }

    /** Crashes the new leader, or cuts it off with a random set of others. */
    void strikeLeader(SimEvent.LeaderFault f) {
        SimNode n = cluster.nodes.get(f.node());
        if (!n.up() || n.incarnation != f.incarnation()) {
            return;
        }
        if (rnd.nextInt(3) != 0) {
            cluster.crash(n);
            cluster.queue.at(faultEnd(), new SimEvent.Restart(n.id));
            return;
        }
        long side = 1L << n.id;
        if (rnd.nextBoolean()) {
            side |= 1L << (1 + rnd.nextInt(cluster.nodes.size()));
        }
        long until = faultEnd();
        cluster.network.partition(side, SimCluster.MAX_NODE_ID, until);
        cluster.log("leader n%d cut off: side %s until t=%d", n.id, Long.toBinaryString(side), until);
    }

    private void transferLeadership() {
        leader().ifPresent(l -> {
            List<Long> voters = l.raw.status().config().voters();
            long to = voters.get(rnd.nextInt(voters.size()));
            cluster.log("transfer leadership n%d -> n%d", l.id, to);
            l.raw.transferLeadership(to);
            cluster.pump(l);
        });
    }

    private void changeMembership() {
        SimNode l = leader().orElse(null);
        if (l == null) {
            return;
        }
        ConfState cs = l.raw.status().config();
        if (cs.isJoint()) {
            return;
        }
        ConfChange cc = MembershipPlanner.next(cs, rnd, this::joiner);
        if (cc != null) {
            cluster.log("n%d proposes membership change %s: %s", l.id, cc, l.raw.proposeConfChange(cc));
            cluster.pump(l);
        }
    }

    /** A machine that can join: one started earlier that never joined, or a new one; 0 if none. */
    private long joiner() {
        for (SimNode n : cluster.nodes.values()) {
            if (n.up() && !n.joined) {
                return n.id;
            }
        }
        long id = cluster.nodes.lastKey() + 1;
        if (id > SimCluster.MAX_NODE_ID) {
            return 0;
        }
        cluster.addNode(id, cluster.initialConf);
        return id;
    }

    private java.util.Optional<SimNode> leader() {
        List<SimNode> leaders = new ArrayList<>();
        for (SimNode n : cluster.nodes.values()) {
            if (n.up() && n.role == Role.LEADER) {
                leaders.add(n);
            }
        }
        return leaders.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(leaders.get(rnd.nextInt(leaders.size())));
    }

    private java.util.Optional<SimNode> pickUp() {
        List<SimNode> up = new ArrayList<>();
        for (SimNode n : cluster.nodes.values()) {
            if (n.up() && n.joined) {
                up.add(n);
            }
        }
        return up.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(up.get(rnd.nextInt(up.size())));
    }
}
