package dev.meridian.raft;

import dev.meridian.testkit.ScenarioFile;

import java.util.ArrayList;
import java.util.List;

/** Drives an {@link InteractionHarness} from Java with the scenario commands, for unit tests. */
final class Cluster {

    final InteractionHarness harness = new InteractionHarness();
    final List<String> outputs = new ArrayList<>();

    /** Runs each command; returns the output of the last one. */
    String run(String... commands) {
        StringBuilder text = new StringBuilder();
        for (String c : commands) {
            text.append(c).append("\n----\n\n");
        }
        String last = "";
        for (ScenarioFile.Block b : ScenarioFile.parse("unit-test", text.toString())) {
            last = harness.run(b.directive());
            outputs.add(last);
        }
        return last;
    }

    RawNode node(long id) {
        return harness.nodes.get(id).raw;
    }

    MemoryRaftLogStorage storage(long id) {
        return harness.nodes.get(id).storage;
    }

    /** The state machine of a node: applied payloads by index. */
    java.util.SortedMap<Long, String> applied(long id) {
        return harness.nodes.get(id).applied;
    }

    String transcript() {
        return String.join("\n", outputs);
    }
}
