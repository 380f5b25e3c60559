package dev.meridian.testkit.history.append;

/**
 * One edge of the dependency graph.
 *
 * @param from   the transaction that must come first
 * @param to     the transaction that must come after
 * @param type   the kind of dependency
 * @param reason a readable justification, e.g. {@code ww on x: 3 then 4}
 */
public record Dependency(int from, int to, DependencyType type, String reason) {
    @Override
    public String toString() {
        return "T" + from + " -" + type.name().toLowerCase(java.util.Locale.ROOT) + "-> T" + to + " (" + reason + ")";
    }
}
