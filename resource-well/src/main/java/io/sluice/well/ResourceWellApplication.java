package io.sluice.well;

import io.micronaut.runtime.Micronaut;

/** Starts resource-well: managed resources with capacity limits. */
public final class ResourceWellApplication {

    private ResourceWellApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(ResourceWellApplication.class).banner(false).start();
    }
}
