package io.sluice.runner;

import io.sluice.testing.service.ServiceContractTest;

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
}
