package io.sluice.well;

import io.sluice.testing.service.ServiceContractTest;

/** resource-well keeps the contract every Sluice service keeps. */
class ResourceWellContractTest extends ServiceContractTest {

    @Override
    protected String serviceName() {
        return "resource-well";
    }

    @Override
    protected String databaseSchema() {
        return "resource_well";
    }
}
