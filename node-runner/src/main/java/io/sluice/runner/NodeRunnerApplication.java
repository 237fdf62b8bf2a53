package io.sluice.runner;

import io.micronaut.runtime.Micronaut;

/** Starts node-runner: isolated process execution on this host. */
public final class NodeRunnerApplication {

    private NodeRunnerApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(NodeRunnerApplication.class).banner(false).start();
    }
}
