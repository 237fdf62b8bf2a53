package io.sluice.runner;

import io.sluice.testing.service.ServiceContractTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** node-runner keeps the contract every Sluice service keeps. */
class NodeRunnerContractTest extends ServiceContractTest {

    @Override
    protected String serviceName() {
        return "node-runner";
    }

    @Override
    protected String databaseSchema() {
        return null;
    }

    @Override
    protected Map<String, Object> serviceProperties() {
        try {
            // Lower case, as a person types it: the setting binds case-insensitively.
            return Map.of("sluice.node.state-dir", Files.createTempDirectory("node-runner-state").toString(),
                    "sluice.node.id", "contract-node",
                    "sluice.node.isolation", "none");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
