package io.sluice.well.store.provision;

/**
 * Creates and removes the instances of one resource type on the system that holds them (a PostgreSQL server, a
 * token signer, an operator's command). Both operations are idempotent by instance id: the well calls them again
 * after a crash, and a second call finishes or repeats the first without leaving anything behind.
 */
public interface Provisioner {

    /** Creates the instance; its clear-text secrets stay in memory until the well seals them. */
    ProvisionedResource provision(ProvisionRequest request) throws ProvisionFailedException, InterruptedException;

    /** Removes everything of the instance; one already gone, or never fully made, is released all the same. */
    void release(ReleaseRequest request) throws ProvisionFailedException, InterruptedException;
}
