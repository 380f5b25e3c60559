package dev.meridian.server;

import dev.meridian.proto.kv.InitRequest;
import dev.meridian.proto.kv.InitResponse;
import dev.meridian.proto.kv.NodeGrpc;
import dev.meridian.server.cli.Units;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code meridian init}: bootstraps a new cluster on a node that is waiting for it, exactly once. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {
                "Bootstrap a new cluster on a started node that has no cluster yet.",
                "Run it once, against any one node; the others join it. A second init is refused."
        },
        footer = {"", "Example:", "  meridian init --host 127.0.0.1:26257"})
final class InitCommand implements Callable<Integer> {

    private static final long RECONNECT_EVERY_MS = 250;

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
            InitResponse r = awaitInit(ch, nanos);
            spec.commandLine().getOut().printf("Cluster %s initialized; node %d at %s.%n", r.getClusterId(), r.getNodeId(), host);
            return 0;
        } catch (StatusRuntimeException e) {
            String why = e.getStatus().getCode() == Status.Code.ALREADY_EXISTS ? e.getStatus().getDescription()
                    : e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED ? "no node answered at " + host + " within " + timeout
                    : e.getStatus().getCode() + ": " + e.getStatus().getDescription();
            spec.commandLine().getErr().println("error: " + why);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            spec.commandLine().getErr().println("error: interrupted");
            return 1;
        } finally {
            ch.shutdownNow();
        }
    }

    /**
     * Sends the one Init request, waiting up to {@code nanos} for the node to listen. gRPC
     * retries a refused connection with exponential back-off (a minute and more between tries
     * after a while), so a node that starts listening late in the wait could be tried only
     * after the deadline; the back-off is cut short every {@link #RECONNECT_EVERY_MS} ms
     * instead. The request itself is sent once: a retried Init could not tell "initialized by
     * my first try" from "initialized by somebody else".
     */
    static InitResponse awaitInit(ManagedChannel ch, long nanos) throws InterruptedException {
        CompletableFuture<InitResponse> call = new CompletableFuture<>();
        NodeGrpc.newStub(ch).withWaitForReady().withDeadlineAfter(nanos, TimeUnit.NANOSECONDS)
                .init(InitRequest.getDefaultInstance(), new StreamObserver<>() {
                    @Override
                    public void onNext(InitResponse value) {
                        call.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        call.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        call.completeExceptionally(Status.INTERNAL.withDescription("no response").asRuntimeException());
                    }
                });
        while (true) {
            try {
                return call.get(RECONNECT_EVERY_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                ch.resetConnectBackoff();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof StatusRuntimeException sre) {
                    throw sre;
                }
                throw Status.fromThrowable(e.getCause()).asRuntimeException();
            }
        }
    }
}
