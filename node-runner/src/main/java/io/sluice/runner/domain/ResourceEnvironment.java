package io.sluice.runner.domain;

import io.sluice.events.GrantedResource;
import io.sluice.events.SecretRef;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a worker's granted resources become for its processes: checks that their types and secret names can be file
 * names under the resources directory, and names a variable {@code SLUICE_RESOURCE_<TYPE>_<KEY>} for each metadata
 * value (secrets stay files only).
 */
public final class ResourceEnvironment {

    public static final String PREFIX = "SLUICE_RESOURCE_";
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String FILE_NAME_RULE = "must be 1-128 letters, digits, '.', '_' or '-', starting with a "
            + "letter or digit";

    private ResourceEnvironment() {
    }

    /** Why the resources cannot be laid out as files, or null when they can. */
    public static String fileNameProblem(List<GrantedResource> resources) {
        Map<String, String> resourceOfType = new LinkedHashMap<>();
        for (GrantedResource resource : resources) {
            String type = resource.getType();
            if (type == null || !FILE_NAME.matcher(type).matches() || type.endsWith(".json")) {
                return "resource " + resource.getResourceId() + ": its type '" + type + "' " + FILE_NAME_RULE
                        + " and must not end in '.json'";
            }
            String other = resourceOfType.putIfAbsent(type, resource.getResourceId());
            if (other != null) {
                return "resources " + other + " and " + resource.getResourceId() + " are both of type '" + type
                        + "': a worker gets one resource of each type";
            }
            Set<String> names = new HashSet<>();
            for (SecretRef secret : resource.getSecrets()) {
                String name = secret.getName();
                if (name == null || !FILE_NAME.matcher(name).matches()) {
                    return "resource " + resource.getResourceId() + " (" + type + "): its secret name '" + name
                            + "' " + FILE_NAME_RULE;
                }
                if (!names.add(name)) {
                    return "resource " + resource.getResourceId() + " (" + type + ") has two secrets named '"
                            + name + "'";
                }
            }
        }
        return null;
    }

    /**
     * The variables of the resources' metadata, by name; metadata keys that are also secret names are left out.
     *
     * @throws IllegalArgumentException when two values get the same name (the message names both) or a value holds
     *                                  a NUL character
     */
    public static Map<String, String> of(List<GrantedResource> resources) {
        Map<String, String> env = new TreeMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (GrantedResource resource : resources) {
            Set<String> secretNames = new HashSet<>();
            resource.getSecrets().forEach(secret -> secretNames.add(secret.getName()));
            for (Map.Entry<String, String> entry : new TreeMap<>(resource.getMetadata()).entrySet()) {
                if (secretNames.contains(entry.getKey())) {
                    continue;
                }
                String origin = "metadata '" + entry.getKey() + "' of resource " + resource.getResourceId() + " ("
                        + resource.getType() + ")";
                if (entry.getValue().indexOf('\0') >= 0) {
                    throw new IllegalArgumentException(origin + " holds a NUL character, which no environment "
                            + "variable can");
                }
                String name = variableName(resource.getType(), entry.getKey());
                String other = origins.putIfAbsent(name, origin);
                if (other != null) {
                    throw new IllegalArgumentException(other + " and " + origin + " would both be the variable "
                            + name);
                }
                env.put(name, entry.getValue());
            }
        }
        return env;
    }

    /** {@code SLUICE_RESOURCE_<TYPE>_<KEY>}, upper-cased, every character but ASCII letters and digits as '_'. */
    public static String variableName(String type, String key) {
        return PREFIX + part(type) + "_" + part(key);
    }

    private static String part(String text) {
        return text.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
