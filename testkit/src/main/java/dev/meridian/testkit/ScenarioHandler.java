package dev.meridian.testkit;

/**
 * Runs the directives of one scenario file against fresh state. One instance per file; the
 * runner calls {@link #close()} after the file.
 */
public interface ScenarioHandler extends AutoCloseable {

    /**
     * Executes one directive and returns what it prints (without trailing newline). An expected
     * failure of the system under test is output, not an exception: print it. Throw only for a
     * malformed directive or a bug in the handler.
     */
    String run(Directive directive) throws Exception;

    @Override
    default void close() throws Exception {
    }
}
