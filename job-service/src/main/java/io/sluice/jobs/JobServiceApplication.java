package io.sluice.jobs;

import io.micronaut.runtime.Micronaut;

/** Starts job-service: job intake, the job saga and its projections. */
public final class JobServiceApplication {

    private JobServiceApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(JobServiceApplication.class).banner(false).start();
    }
}
