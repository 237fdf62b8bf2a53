package io.sluice.well.store.provision;

import java.util.Map;

/** The provisioner of each resource type the well serves. */
public final class Provisioners {

    private final Map<String, Provisioner> byType;

    public Provisioners(Map<String, Provisioner> byType) {
        this.byType = Map.copyOf(byType);
    }

    public Provisioner of(String type) {
        Provisioner provisioner = byType.get(type);
        if (provisioner == null) {
            throw new IllegalStateException("no provisioner for resource type '" + type + "'");
        }
        return provisioner;
    }
}
