package io.sluice.jobs.domain;

import io.sluice.events.GrantedResource;

/** A resource the job acquired, at its position in acquisition order, and how far its release has come. */
public record HeldResource(int position, GrantedResource granted, Release release) {

    /** A held resource's release. */
    public enum Release { HELD, RELEASING, RELEASED }

    public String type() {
        return granted.getType();
    }

    public String resourceId() {
        return granted.getResourceId();
    }

    public HeldResource with(Release next) {
        return new HeldResource(position, granted, next);
    }
}
