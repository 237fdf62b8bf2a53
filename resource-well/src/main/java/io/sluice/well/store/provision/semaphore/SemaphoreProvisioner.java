package io.sluice.well.store.provision.semaphore;

import io.sluice.well.store.provision.ProvisionRequest;
import io.sluice.well.store.provision.ProvisionedResource;
import io.sluice.well.store.provision.Provisioner;
import io.sluice.well.store.provision.ReleaseRequest;
import java.util.Map;

/** Capacity alone (a lab device, a licence seat): an instance is its slot among the type's capacity, nothing more. */
public final class SemaphoreProvisioner implements Provisioner {

    @Override
    public ProvisionedResource provision(ProvisionRequest request) {
        return new ProvisionedResource(Map.of("slot", String.valueOf(request.slot())), Map.of());
    }

    @Override
    public void release(ReleaseRequest request) {
        // The slot is the well's own count: giving it back is the instance's state change.
    }
}
