package io.sluice.testing;

import io.sluice.schemas.signing.OwnerKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The owners tests submit and cancel as, each with a signing key made once per JVM, and the job-service
 * properties that register them; "mallory" holds a key but is registered for no owner.
 */
public final class TestOwners {

    /** The owners registered with job-service in tests. */
    public static final List<String> REGISTERED = List.of("alice", "bob", "carol", "pager", "root");
    private static final Map<String, OwnerKey> KEYS = new ConcurrentHashMap<>();

    private TestOwners() {
    }

    /** The signing key of {@code owner}, the same for the whole test run. */
    public static OwnerKey keyOf(String owner) {
        return KEYS.computeIfAbsent(owner, any -> OwnerKey.generate());
    }

    /**
     * {@code sluice.jobs.owners.<owner>.public-keys} for every registered owner, as text (a one-element list), so it
     * passes as a system property to a service in a JVM of its own too.
     */
    public static Map<String, String> registration() {
        Map<String, String> properties = new HashMap<>();
        REGISTERED.forEach(owner -> properties.put("sluice.jobs.owners." + owner + ".public-keys",
                keyOf(owner).publicKeyText()));
        return properties;
    }
}
