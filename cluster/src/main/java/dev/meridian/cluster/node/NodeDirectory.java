package dev.meridian.cluster.node;

import dev.meridian.cluster.raft.grpc.NodeAddressBook;
import dev.meridian.proto.kv.NodeDescriptor;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The nodes this node knows of, by id: learned when joining, and refreshed from the node
 * descriptors in the system keys. (Gossip replaces the refresh later.) Thread-safe.
 */
public final class NodeDirectory implements NodeAddressBook {

    private final Map<Long, NodeDescriptor> nodes = new ConcurrentSkipListMap<>();

    public void put(NodeDescriptor d) {
        if (d.getNodeId() > 0) {
            nodes.put(d.getNodeId(), d);
        }
    }

    public void putAll(List<NodeDescriptor> ds) {
        ds.forEach(this::put);
    }

    public Optional<NodeDescriptor> get(long nodeId) {
        return Optional.ofNullable(nodes.get(nodeId));
    }

    /** Every known node, by id. */
    public List<NodeDescriptor> all() {
        return List.copyOf(nodes.values());
    }

    public List<Long> ids() {
        return List.copyOf(nodes.keySet());
    }

    /**
     * Keeps the address a peer's Raft batch announced: for a node not known yet (it joined
     * after the last refresh), and for a known node now at another address (it restarted with
     * a new one). The announcement comes from the node itself, so it is the freshest word on
     * where it listens; the other fields of a known descriptor stay. Without the update, two
     * survivors of a leaseholder's death, one of them restarted at a new address, could not
     * elect a leader: the other would answer its votes at the old address, and could not read
     * the new one from the system keys, which need a leader first.
     */
    @Override
    public void learn(long nodeId, String hostPort) {
        if (nodeId <= 0) {
            return;
        }
        try {
            parse(hostPort);
        } catch (IllegalArgumentException e) {
            return; // a malformed announcement teaches nothing
        }
        nodes.compute(nodeId, (id, known) -> known == null
                ? NodeDescriptor.newBuilder().setNodeId(id).setAddress(hostPort).build()
                : known.getAddress().equals(hostPort) ? known : known.toBuilder().setAddress(hostPort).build());
    }

    @Override
    public Optional<InetSocketAddress> addressOf(long nodeId) {
        return get(nodeId).map(d -> parse(d.getAddress()));
    }

    /** "host:port" (IPv6 hosts in brackets) as an unresolved-safe socket address. */
    public static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + hostPort + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in '" + hostPort + "'");
        }
        return new InetSocketAddress(host, port);
    }
}
