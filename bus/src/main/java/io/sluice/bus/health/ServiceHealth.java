package io.sluice.bus.health;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of a service's dependencies and loops, as they report it; logs each change of state once, so an
 * unreachable broker gives one clear line rather than one per retry.
 */
public final class ServiceHealth {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceHealth.class);

    private final Map<String, ComponentState> components = new ConcurrentHashMap<>();

    public void report(String component, ComponentState state) {
        ComponentState previous = components.put(component, state);
        if (previous != null && previous.equals(state)) {
            return;
        }
        switch (state.status()) {
            case DOWN -> LOG.error("{} is DOWN: {}", component, state.detail());
            case UP -> LOG.info("{} is UP: {}", component, state.detail());
            case STARTING -> LOG.info("{} is starting: {}", component, state.detail());
        }
    }

    /** True when every component reported UP and none is starting or down. */
    public boolean isUp() {
        return !components.isEmpty()
                && components.values().stream().allMatch(s -> s.status() == ComponentState.Status.UP);
    }

    public Map<String, ComponentState> snapshot() {
        return new TreeMap<>(components);
    }
}
