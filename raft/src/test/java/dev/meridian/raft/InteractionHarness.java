package dev.meridian.raft;

import dev.meridian.testkit.Directive;
import dev.meridian.testkit.ScenarioHandler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * Hosts N {@link RawNode}s with {@link MemoryRaftLogStorage}, carries out their Readys exactly
 * as the RawNode contract says (persist, then send, then apply), and delivers messages only
 * when told to, printing every state change. Used by the scenario files under
 * {@code src/test/resources/interaction} and directly by unit tests.
 *
 * <p>Election timeouts are not random unless {@code seed=} is given: every node then times
 * out after exactly {@code electionTicks}, which keeps the scenarios readable.
 */
final class InteractionHarness implements ScenarioHandler {

    /** A random source that always yields zero: randomized timeout == electionTicks. */
    static final RandomGenerator NO_JITTER = () -> 0L;

    static final class Node {
        final long id;
        Config config;
        final MemoryRaftLogStorage storage;
        final RandomGenerator random;
        RawNode raw;
        boolean crashed;
        Role lastRole = Role.FOLLOWER;
        /** The state machine: applied normal entries by index. */
        TreeMap<Long, String> applied = new TreeMap<>();
        /** Membership in force from each index on (for snapshots). */
        TreeMap<Long, ConfState> confHistory = new TreeMap<>();
        final List<ReadState> readStates = new ArrayList<>();

        Node(long id, Config config, MemoryRaftLogStorage storage, RandomGenerator random) {
            this.id = id;
            this.config = config;
            this.storage = storage;
            this.random = random;
            this.raw = new RawNode(config, storage, random);
            confHistory.put(storage.snapshot().index(), storage.snapshot().metadata().confState());
        }
    }

    final TreeMap<Long, Node> nodes = new TreeMap<>();
    /** Every entry any node applied, by index: two different entries at one index is a safety bug. */
    final TreeMap<Long, Entry> appliedAnywhere = new TreeMap<>();
    /** The leader seen for each term: two leaders in one term is a safety bug. */
    final TreeMap<Long, Long> leaderOfTerm = new TreeMap<>();
    /** Messages sent and not yet delivered, in send order. */
    final List<Message> network = new ArrayList<>();
    private List<TreeSet<Long>> partition = List.of();
    private ConfState initialConf;
    private StringBuilder out = new StringBuilder();

    @Override
    public String run(Directive d) {
        out = new StringBuilder();
        switch (d.command()) {
            case "add-nodes" -> addNodes(d);
            case "campaign" -> node(d, 0).raw.campaign();
            case "tick-election" -> tick(d, node(d, 0).config.electionTicks());
            case "tick-heartbeat" -> tick(d, node(d, 0).config.heartbeatTicks());
            case "tick" -> tick(d, (int) d.longArg("n", 1));
            case "propose" -> println(node(d, 0).raw.propose(bytes(word(d, 1))).toString());
            case "propose-conf-change" -> println(node(d, 0).raw.proposeConfChange(confChange(d)).toString());
            case "transfer-leadership" -> nodes.get(d.longArg("from")).raw.transferLeadership(d.longArg("to"));
            case "read-index" -> node(d, 0).raw.readIndex(bytes(word(d, 1)));
            case "stabilize" -> stabilize(selected(d));
            case "process-ready" -> processReady(selected(d));
            case "deliver-msgs" -> deliver(selected(d), d.has("drop"));
            case "partition" -> partition(d);
            case "heal" -> partition = List.of();
            case "crash" -> crash(node(d, 0));
            case "restart" -> restart(node(d, 0));
            case "compact" -> compact(node(d, 0), Long.parseLong(word(d, 1)));
            case "report-unreachable" -> node(d, 0).raw.reportUnreachable(Long.parseLong(word(d, 1)));
            case "status" -> status(node(d, 0));
            case "raft-log" -> raftLog(node(d, 0));
            case "state" -> nodes.values().forEach(this::summary);
            default -> throw d.error("unknown command");
        }
        String s = out.toString();
        return s.isEmpty() ? "ok" : s;
    }

    // ---------------------------------------------------------------- setup

    private void addNodes(Directive d) {
        int n = Integer.parseInt(word(d, 0));
        List<Long> voters = d.has("voters") ? ids(d.values("voters")) : null;
        List<Long> learners = d.has("learners") ? ids(d.values("learners")) : List.of();
        ConfState cs = voters != null ? ConfState.of(voters, learners) : initialConf;
        if (cs == null) {
            throw d.error("the first add-nodes needs voters=");
        }
        if (initialConf == null) {
            initialConf = cs;
        }
        Config base = Config.defaults(1).withPreVote(d.has("prevote")).withCheckQuorum(d.has("checkquorum"))
                .withElection((int) d.longArg("election", 10), (int) d.longArg("heartbeat", 1))
                .withFlowControl(d.longArg("max-size", 1 << 20), (int) d.longArg("max-inflight", 256), d.longArg("max-inflight-bytes", 0));
        TestingKnobs knobs = new TestingKnobs(d.has("double-vote"), d.has("commit-old-term"));
        long first = nodes.isEmpty() ? 1 : nodes.lastKey() + 1;
        for (long id = first; id < first + n; id++) {
            Config c = new Config(id, base.electionTicks(), base.heartbeatTicks(), base.maxSizePerMsg(), base.maxInflightMsgs(),
                    base.maxInflightBytes(), base.checkQuorum(), base.preVote(), 0, knobs);
            RandomGenerator rnd = d.has("seed") ? new Random(d.longArg("seed") * 1000 + id) : NO_JITTER;
            nodes.put(id, new Node(id, c, new MemoryRaftLogStorage(cs), rnd));
        }
    }

    private static List<Long> ids(List<String> values) {
        List<Long> ids = new ArrayList<>();
        for (String v : values) {
            ids.add(Long.parseLong(v));
        }
        return ids;
    }

    // ---------------------------------------------------------------- driving

    private void tick(Directive d, int times) {
        Node n = node(d, 0);
        for (int i = 0; i < times; i++) {
            n.raw.tick();
        }
    }

    /** Processes Readys and delivers messages until nothing happens any more. */
    void stabilize(TreeSet<Long> ids) {
        for (int round = 0; round < 10_000; round++) {
            boolean progress = processReady(ids);
            progress |= deliver(ids, false);
            if (!progress) {
                return;
            }
        }
        throw new IllegalStateException("stabilize did not converge");
    }

    boolean processReady(TreeSet<Long> ids) {
        boolean any = false;
        for (long id : ids) {
            Node n = nodes.get(id);
            if (n == null || n.crashed || !n.raw.hasReady()) {
                continue;
            }
            any = true;
            handleReady(n, n.raw.ready());
        }
        return any;
    }

    /** The RawNode contract: persist, then send, then apply, then advance. */
    private void handleReady(Node n, Ready rd) {
        if (rd.softState() != null) {
            printSoftState(n, rd.softState(), rd.hardState().isEmpty() ? n.raw.status().hardState().term() : rd.hardState().term());
        }
        if (!rd.snapshot().isEmpty()) {
            n.storage.applySnapshot(rd.snapshot());
        }
        if (!rd.hardState().isEmpty()) {
            n.storage.setHardState(rd.hardState());
        }
        n.storage.append(rd.entries());
        for (Message m : rd.messages()) {
            println(m.toString());
            network.add(m);
        }
        if (!rd.snapshot().isEmpty()) {
            installSnapshot(n, rd.snapshot());
        }
        apply(n, rd.committedEntries());
        for (ReadState rs : rd.readStates()) {
            println(n.id + " " + rs);
            n.readStates.add(rs);
        }
        n.raw.advance(rd);
    }

    private void printSoftState(Node n, SoftState s, long term) {
        if (s.role() == Role.LEADER) {
            Long other = leaderOfTerm.putIfAbsent(term, n.id);
            if (other != null && other != n.id) {
                throw new AssertionError("election safety: " + other + " and " + n.id + " both lead term " + term);
            }
        }
        Role before = n.lastRole;
        if (s.role() != before) {
            println(n.id + " became " + s.role().display() + " at term " + term);
        } else if (s.lead() != 0) {
            println(n.id + " follows " + s.lead() + " at term " + term);
        } else {
            println(n.id + " lost its leader at term " + term);
        }
        n.lastRole = s.role();
    }

    private void installSnapshot(Node n, Snapshot snap) {
        n.applied = new TreeMap<>();
        String data = new String(snap.data(), StandardCharsets.UTF_8);
        if (!data.isEmpty()) {
            for (String line : data.split("\n")) {
                int sp = line.indexOf(' ');
                n.applied.put(Long.parseLong(line.substring(0, sp)), line.substring(sp + 1));
            }
        }
        n.confHistory = new TreeMap<>();
        n.confHistory.put(snap.index(), snap.metadata().confState());
        println(n.id + " installed " + snap);
    }

    private void apply(Node n, List<Entry> entries) {
        List<String> applied = new ArrayList<>();
        for (Entry e : entries) {
            Entry before = appliedAnywhere.putIfAbsent(e.index(), e);
            if (before != null && !before.equals(e)) {
                throw new AssertionError("state machine safety: " + n.id + " applies " + e + " where " + before + " was applied");
            }
            if (e.type() == EntryType.CONF_CHANGE) {
                ConfChange cc = ConfChange.decode(e.data());
                ConfState cs = n.raw.applyConfChange(cc);
                n.confHistory.put(e.index(), cs);
                println(n.id + " applied " + e.term() + "/" + e.index() + " conf " + cc + ": " + cs);
            } else if (e.data().length > 0) {
                n.applied.put(e.index(), new String(e.data(), StandardCharsets.UTF_8));
                applied.add(e.toString());
            }
        }
        if (!applied.isEmpty()) {
            println(n.id + " applied " + String.join(", ", applied));
        }
    }

    /** Delivers queued messages addressed to {@code ids}, in send order; returns whether any moved. */
    boolean deliver(TreeSet<Long> ids, boolean drop) {
        List<Message> batch = new ArrayList<>();
        for (Iterator<Message> it = network.iterator(); it.hasNext(); ) {
            Message m = it.next();
            if (ids.contains(m.to())) {
                batch.add(m);
                it.remove();
            }
        }
        for (Message m : batch) {
            Node target = nodes.get(m.to());
            if (drop || target == null || target.crashed || cut(m.from(), m.to())) {
                println("dropped: " + m.from() + "->" + m.to() + " " + m.type().display());
                reportSnapshot(m, false);
                continue;
            }
            target.raw.step(m);
            reportSnapshot(m, true);
        }
        return !batch.isEmpty();
    }

    /** Delivers (or drops) the i-th queued message; for randomized tests that reorder. */
    void deliverOne(int i, boolean drop) {
        Message m = network.remove(i);
        Node target = nodes.get(m.to());
        if (!drop && target != null && !target.crashed && !cut(m.from(), m.to())) {
            target.raw.step(m);
            reportSnapshot(m, true);
        } else {
            reportSnapshot(m, false);
        }
    }

    /** Like a transport, tell the sender how sending a snapshot ended (RawNode#reportSnapshot). */
    private void reportSnapshot(Message m, boolean delivered) {
        Node sender = nodes.get(m.from());
        if (m.type() == MessageType.SNAP && sender != null && !sender.crashed) {
            sender.raw.reportSnapshot(m.to(), delivered);
        }
    }

    void setPartition(List<TreeSet<Long>> groups) {
        partition = groups;
    }

    void crashNode(long id) {
        crash(nodes.get(id));
    }

    void restartNode(long id) {
        restart(nodes.get(id));
    }

    private boolean cut(long a, long b) {
        for (TreeSet<Long> group : partition) {
            if (group.contains(a) != group.contains(b)) {
                return true;
            }
        }
        return false;
    }

    private void partition(Directive d) {
        List<TreeSet<Long>> groups = new ArrayList<>();
        for (Directive.Arg a : d.args()) {
            String k = a.key();
            if (!k.startsWith("(")) {
                throw d.error("partition takes groups like (1) (2,3)");
            }
            TreeSet<Long> g = new TreeSet<>();
            for (String v : k.substring(1, k.length() - 1).split(",")) {
                g.add(Long.parseLong(v.strip()));
            }
            groups.add(g);
        }
        partition = groups;
    }

    private void crash(Node n) {
        n.crashed = true;
        n.raw = null;
    }

    /** Restarts from persisted storage only: everything not in the storage is gone. */
    private void restart(Node n) {
        Snapshot snap = n.storage.snapshot();
        n.config = n.config.withApplied(snap.index());
        n.raw = new RawNode(n.config, n.storage, n.random);
        n.crashed = false;
        n.lastRole = Role.FOLLOWER;
        n.applied = new TreeMap<>();
        if (!snap.isEmpty()) {
            installSnapshot(n, snap);
        } else {
            n.confHistory = new TreeMap<>();
            n.confHistory.put(0L, snap.metadata().confState());
        }
    }

    private void compact(Node n, long index) {
        long appliedIndex = n.raw.status().applied();
        if (index > appliedIndex) {
            println("cannot compact beyond applied index " + appliedIndex);
            return;
        }
        StringBuilder data = new StringBuilder();
        for (Map.Entry<Long, String> e : n.applied.headMap(index, true).entrySet()) {
            data.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        ConfState cs = n.confHistory.floorEntry(index).getValue();
        n.storage.createSnapshot(index, cs, data.toString().getBytes(StandardCharsets.UTF_8));
        n.storage.compact(index);
        raftLog(n);
    }

    // ---------------------------------------------------------------- printing

    private void status(Node n) {
        if (n.crashed) {
            println(n.id + " is down");
            return;
        }
        Status s = n.raw.status();
        println(n.id + " " + s.softState().role().display() + " term=" + s.hardState().term() + " vote=" + s.hardState().vote()
                + " lead=" + s.softState().lead() + " commit=" + s.hardState().commit() + " applied=" + s.applied()
                + " config: " + s.config());
        if (s.leadTransferee() != 0) {
            println("transferring leadership to " + s.leadTransferee());
        }
        if (s.softState().role() == Role.LEADER) {
            println("ticks=" + s.ticks() + " quorum-contact-tick=" + s.quorumContactTick());
            s.progress().forEach((id, p) -> println("  " + id + ": " + p.state() + " match=" + p.match() + " next=" + p.next()
                    + (p.learner() ? " learner" : "") + (p.inflight() > 0 ? " inflight=" + p.inflight() : "")
                    + (p.pendingSnapshot() > 0 ? " pending-snapshot=" + p.pendingSnapshot() : "")));
        }
    }

    private void raftLog(Node n) {
        MemoryRaftLogStorage st = n.storage;
        if (!st.snapshot().isEmpty()) {
            println(st.snapshot().toString());
        }
        for (Entry e : st.entries(st.firstIndex(), st.lastIndex() + 1, Long.MAX_VALUE)) {
            println(e.toString());
        }
        if (st.lastIndex() < st.firstIndex() && st.snapshot().isEmpty()) {
            println("log is empty");
        }
    }

    private void summary(Node n) {
        if (n.crashed) {
            println(n.id + ": down");
            return;
        }
        Status s = n.raw.status();
        println(n.id + ": " + s.softState().role().display() + " term=" + s.hardState().term() + " lead=" + s.softState().lead()
                + " commit=" + s.hardState().commit() + " last=" + n.storage.lastIndex() + " applied=" + n.applied.values());
    }

    private void println(String s) {
        out.append(s).append('\n');
    }

    // ---------------------------------------------------------------- arguments

    private Node node(Directive d, int position) {
        long id = Long.parseLong(word(d, position));
        Node n = nodes.get(id);
        if (n == null) {
            throw d.error("no node " + id);
        }
        if (n.crashed && !d.command().equals("restart") && !d.command().equals("status")) {
            throw d.error("node " + id + " is down");
        }
        return n;
    }

    /** The position-th bare word argument. */
    private static String word(Directive d, int position) {
        int i = 0;
        for (Directive.Arg a : d.args()) {
            if (a.values().isEmpty()) {
                if (i == position) {
                    return a.key();
                }
                i++;
            }
        }
        throw d.error("missing argument " + (position + 1));
    }

    private TreeSet<Long> selected(Directive d) {
        TreeSet<Long> ids = new TreeSet<>();
        for (Directive.Arg a : d.args()) {
            if (a.values().isEmpty() && a.key().chars().allMatch(Character::isDigit)) {
                ids.add(Long.parseLong(a.key()));
            }
        }
        return ids.isEmpty() ? new TreeSet<>(nodes.keySet()) : ids;
    }

    private static ConfChange confChange(Directive d) {
        List<ConfChange.Single> changes = new ArrayList<>();
        ConfChange.Transition t = ConfChange.Transition.AUTO;
        boolean first = true;
        for (Directive.Arg a : d.args()) {
            if (first) {
                first = false; // the node id
                continue;
            }
            if (a.key().equals("transition")) {
                t = switch (a.values().get(0)) {
                    case "explicit" -> ConfChange.Transition.JOINT_EXPLICIT;
                    case "implicit" -> ConfChange.Transition.JOINT_IMPLICIT;
                    default -> ConfChange.Transition.AUTO;
                };
                continue;
            }
            long id = Long.parseLong(a.key().substring(1));
            ConfChange.ChangeType type = switch (a.key().charAt(0)) {
                case 'v' -> ConfChange.ChangeType.ADD_VOTER;
                case 'l' -> ConfChange.ChangeType.ADD_LEARNER;
                case 'r' -> ConfChange.ChangeType.REMOVE_NODE;
                default -> throw d.error("conf change is v<id>, l<id> or r<id>: " + a.key());
            };
            changes.add(new ConfChange.Single(type, id));
        }
        return new ConfChange(t, changes);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
