package io.sluice.well.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One resource type the well serves ({@code sluice.well.types.<name>}): capacity, the privilege a job's owner needs,
 * the provisioner that makes its instances and that provisioner's settings, and how long an instance may live.
 */
@EachProperty("sluice.well.types")
public final class WellTypeSettings {

    private final String name;
    private int capacity = 1;
    private String privilege;
    private String provisioner;
    private Duration maxLifetime = Duration.ofHours(6);
    private Map<String, String> settings = new HashMap<>();

    public WellTypeSettings(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public int getCapacity() {
        return capacity;
    }

    public void setCapacity(int capacity) {
        this.capacity = capacity;
    }

    public String getPrivilege() {
        return privilege;
    }

    public void setPrivilege(String privilege) {
        this.privilege = privilege;
    }

    public String getProvisioner() {
        return provisioner;
    }

    public void setProvisioner(String provisioner) {
        this.provisioner = provisioner;
    }

    public Duration getMaxLifetime() {
        return maxLifetime;
    }

    public void setMaxLifetime(Duration maxLifetime) {
        this.maxLifetime = maxLifetime;
    }

    public Map<String, String> getSettings() {
        return settings;
    }

    public void setSettings(Map<String, String> settings) {
        this.settings = settings;
    }
}
