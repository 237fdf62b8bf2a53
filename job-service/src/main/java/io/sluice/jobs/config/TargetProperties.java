package io.sluice.jobs.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.time.Duration;
import java.util.List;

/**
 * A target jobs may ask for ({@code sluice.jobs.targets.<name>}): the privilege it requires, its aliases, and how long
 * its jobs are expected to wait for a worker at most (beyond it, the "jobs queued too long" alert fires).
 */
@EachProperty("sluice.jobs.targets")
public final class TargetProperties {

    private final String name;
    private String privilege;
    private List<String> aliases = List.of();
    private Duration queueExpectation = Duration.ofMinutes(5);

    public TargetProperties(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public String getPrivilege() {
        return privilege;
    }

    public void setPrivilege(String privilege) {
        this.privilege = privilege;
    }

    public List<String> getAliases() {
        return aliases;
    }

    public void setAliases(List<String> aliases) {
        this.aliases = List.copyOf(aliases);
    }

    public Duration getQueueExpectation() {
        return queueExpectation;
    }

    public void setQueueExpectation(Duration queueExpectation) {
        this.queueExpectation = queueExpectation;
    }
}
