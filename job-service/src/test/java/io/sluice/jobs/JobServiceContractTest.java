package io.sluice.jobs;

import io.sluice.testing.service.ServiceContractTest;

/** job-service keeps the contract every Sluice service keeps. */
class JobServiceContractTest extends ServiceContractTest {

    @Override
    protected String serviceName() {
        return "job-service";
    }

    @Override
    protected String databaseSchema() {
        return "job_service";
    }
}
