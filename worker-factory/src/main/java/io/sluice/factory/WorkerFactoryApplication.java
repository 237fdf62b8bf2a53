package io.sluice.factory;

import io.micronaut.runtime.Micronaut;

/** Starts worker-factory: worker placement on node runners. */
public final class WorkerFactoryApplication {

    private WorkerFactoryApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(WorkerFactoryApplication.class).banner(false).start();
    }
}
