package dev.meridian.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meridian.server.metrics.PrometheusTextReader;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's HTTP status endpoint on the JDK's built-in server.
 *
 * <ul>
 *   <li>{@code GET /health}: 200 {@code {"status":"ok",…}} when the {@link StatusSource} says
 *       healthy, else 503 {@code {"status":"unavailable","reason":…}} — load balancers route on
 *       the code, people read the reason.</li>
 *   <li>{@code GET /metrics}: Prometheus text 0.0.4 from the {@link PrometheusTextReader}.</li>
 *   <li>{@code GET /_status/ranges}: a JSON array of this node's ranges (see {@link StatusJson}).</li>
 *   <li>Any other path: 404; another method on a known path: 405 with {@code Allow: GET}; both
 *       with a JSON error body.</li>
 * </ul>
 *
 * <p>Requests run on a small fixed pool with a bounded queue. When both are full the
 * server's dispatcher thread runs the request itself, which stops it accepting more until one
 * finishes: overload slows scrapes down rather than growing memory or dropping connections.
 * The server counts requests ({@code meridian.http.requests} by path and code) and times them
 * ({@code meridian.http.request.duration}).
 *
 * <p>Thread-safe. {@link #close()} stops listening, abandons requests in flight and is idempotent.
 */
public final class StatusServer implements AutoCloseable {

    private static final int THREADS = 2;
    private static final int QUEUE = 32;
    private static final int BACKLOG = 16;
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("path");
    private static final AttributeKey<Long> CODE = AttributeKey.longKey("code");
    private static final String JSON = "application/json; charset=utf-8";

    /** The endpoints; anything else is counted under {@code other} to bound label cardinality. */
    private enum Endpoint {
        HEALTH("/health"), METRICS("/metrics"), RANGES("/_status/ranges");

        final String path;

        Endpoint(String path) {
            this.path = path;
        }

        static Endpoint of(String path) {
            for (Endpoint e : values()) {
                if (e.path.equals(path)) {
                    return e;
                }
            }
            return null;
        }
    }

    private record Response(int status, String contentType, String body, boolean allowGetOnly) {
        static Response json(int status, String body) {
            return new Response(status, JSON, body, false);
        }
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final StatusSource source;
    private final PrometheusTextReader metrics;
    private final LongCounter requests;
    private final DoubleHistogram duration;

    private StatusServer(HttpServer server, ThreadPoolExecutor executor, StatusSource source,
                         PrometheusTextReader metrics, Meter meter) {
        this.server = server;
        this.executor = executor;
        this.source = source;
        this.metrics = metrics;
        this.requests = meter.counterBuilder("meridian.http.requests")
                .setDescription("Status HTTP requests by path and response code").setUnit("{request}").build();
        this.duration = meter.histogramBuilder("meridian.http.request.duration")
                .setDescription("Time to answer a status HTTP request").setUnit("s")
                .setExplicitBucketBoundariesAdvice(List.of(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0))
                .build();
    }

    /**
     * Binds to {@code address} (port 0 picks a free port; see {@link #address()}) and starts serving.
     *
     * @param meter where the server records its own request counts and latencies
     * @throws IOException when the address cannot be bound; nothing is left running then
     */
    public static StatusServer start(InetSocketAddress address, StatusSource source, PrometheusTextReader metrics,
                                     Meter meter) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(meter, "meter");
        HttpServer http = HttpServer.create(address, BACKLOG);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), daemonThreads(), new ThreadPoolExecutor.CallerRunsPolicy());
        StatusServer status = new StatusServer(http, executor, source, metrics, meter);
        http.setExecutor(executor);
        http.createContext("/", status::handle);
        http.start();
        return status;
    }

    /** The bound address, with the actual port when 0 was asked for. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops listening and the worker threads. Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        Endpoint endpoint = Endpoint.of(path);
        Response response;
        try {
            response = route(exchange.getRequestMethod(), path, endpoint);
        } catch (RuntimeException e) {
            response = Response.json(500, StatusJson.error(500, "internal error: " + e));
        }
        // Recorded before the response leaves: a client that reads /metrics right after its
        // previous answer must find that request counted. The time is the time to answer, not
        // to push the bytes out.
        Attributes attributes = Attributes.of(PATH, endpoint == null ? "other" : endpoint.path, CODE,
                (long) response.status());
        requests.add(1, attributes);
        duration.record((System.nanoTime() - started) / 1e9, attributes);
        try (exchange) {
            send(exchange, response);
        } catch (IOException e) {
            // The client went away; there is nobody to tell.
        }
    }

    private Response route(String method, String path, Endpoint endpoint) {
        if (endpoint == null) {
            return Response.json(404, StatusJson.error(404, "no such endpoint: " + path));
        }
        if (!method.equals("GET")) {
            return new Response(405, JSON, StatusJson.error(405, method + " not allowed on " + path + "; use GET"), true);
        }
        return switch (endpoint) {
            case HEALTH -> health();
            case METRICS -> new Response(200, PrometheusTextReader.CONTENT_TYPE, metrics.scrape(), false);
            case RANGES -> Response.json(200, StatusJson.ranges(source.ranges()));
        };
    }

    private Response health() {
        StatusSource.Health health;
        try {
            health = source.health();
        } catch (RuntimeException e) {
            // A node that cannot say whether it is healthy is not.
            health = StatusSource.Health.unavailable("health check failed: " + e, 0, "");
        }
        return Response.json(health.healthy() ? 200 : 503, StatusJson.health(health));
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (response.allowGetOnly()) {
            exchange.getResponseHeaders().set("Allow", "GET");
        }
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger next = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "meridian-http-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
