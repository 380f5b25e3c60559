package dev.meridian.storage.memory;

import dev.meridian.storage.Engine;
import dev.meridian.storage.EngineContractTest;
import dev.meridian.storage.EngineLimits;

/** The in-memory engine against the engine contract. */
class InMemoryEngineTest extends EngineContractTest {
    @Override
    protected Engine newEngine(EngineLimits limits) {
        return new InMemoryEngine(limits);
    }
}
