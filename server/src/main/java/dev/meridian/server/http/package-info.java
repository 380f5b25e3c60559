/**
 * The node's HTTP status endpoint: {@code /health}, {@code /metrics} and {@code /_status/ranges}
 * ({@link dev.meridian.server.http.StatusServer}), reporting what a
 * {@link dev.meridian.server.http.StatusSource} says.
 *
 * <p>This is an I/O edge: it owns threads and a socket and reads the wall clock only to time
 * its own requests. It never changes node state; every endpoint is a read.
 */
package dev.meridian.server.http;
