package io.sluice.factory;

import io.sluice.testing.service.ServiceContractTest;

/** worker-factory keeps the contract every Sluice service keeps. */
class WorkerFactoryContractTest extends ServiceContractTest {

    @Override
    protected String serviceName() {
        return "worker-factory";
    }

    @Override
    protected String databaseSchema() {
        return "worker_factory";
    }
}
