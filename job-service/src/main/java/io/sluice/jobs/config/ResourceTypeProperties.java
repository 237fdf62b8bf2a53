package io.sluice.jobs.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

/** A resource type jobs may ask for ({@code sluice.jobs.resource-types.<name>}) and the privilege it requires. */
@EachProperty("sluice.jobs.resource-types")
public final class ResourceTypeProperties {

    private final String name;
    private String privilege = "";

    public ResourceTypeProperties(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public String getPrivilege() {
        return privilege;
    }

    public void setPrivilege(String privilege) {
        this.privilege = privilege == null ? "" : privilege;
    }
}
