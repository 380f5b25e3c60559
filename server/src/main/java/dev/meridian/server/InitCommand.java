package dev.meridian.server;

import dev.meridian.proto.kv.InitRequest;
import dev.meridian.proto.kv.InitResponse;
import dev.meridian.proto.kv.NodeGrpc;
import dev.meridian.server.cli.Units;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code meridian init}: bootstraps a new cluster on a node that is waiting for it, exactly once. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {
                "Bootstrap a new cluster on a started node that has no cluster yet.",
                "Run it once, against any one node; the others join it. A second init is refused."
        },
        footer = {"", "Example:", "  meridian init --host 127.0.0.1:26257"})
final class InitCommand implements Callable<Integer> {

    @Option(names = "--host", required = true, paramLabel = "HOST:PORT", description = "A node's --listen-addr.")
    String host;

    @Option(names = "--timeout", defaultValue = "30s", paramLabel = "DURATION",
            description = "How long to wait for the node (default: ${DEFAULT-VALUE}).")
    String timeout;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Units.addresses(host);
        long nanos = Units.duration(timeout).toNanos();
        ManagedChannel ch = NettyChannelBuilder.forTarget(host).usePlaintext().build();
        try {
            InitResponse r = NodeGrpc.newBlockingStub(ch).withWaitForReady().withDeadlineAfter(nanos, TimeUnit.NANOSECONDS)
                    .init(InitRequest.getDefaultInstance());
            spec.commandLine().getOut().printf("Cluster %s initialized; node %d at %s.%n", r.getClusterId(), r.getNodeId(), host);
            return 0;
        } catch (StatusRuntimeException e) {
            String why = e.getStatus().getCode() == Status.Code.ALREADY_EXISTS ? e.getStatus().getDescription()
                    : e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED ? "no node answered at " + host + " within " + timeout
                    : e.getStatus().getCode() + ": " + e.getStatus().getDescription();
            spec.commandLine().getErr().println("error: " + why);
            return 1;
        } finally {
            ch.shutdownNow();
        }
    }
}
