package io.sluice.cli.dev;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import io.sluice.cli.CliFailure;

/** The services {@code sluice dev} can run; each keeps its own port, {@code --base-port} plus its position here. */
public enum SluiceService {
    JOB_SERVICE("job-service", true),
    RESOURCE_WELL("resource-well", true),
    WORKER_FACTORY("worker-factory", true),
    NODE_RUNNER("node-runner", false);

    private final String moduleName;
    private final boolean needsDatabase;

    SluiceService(String moduleName, boolean needsDatabase) {
        this.moduleName = moduleName;
        this.needsDatabase = needsDatabase;
    }

    /** The Maven module and the name users type, such as {@code job-service}. */
    public String moduleName() {
        return moduleName;
    }

    public boolean needsDatabase() {
        return needsDatabase;
    }

    public int port(int basePort) {
        return basePort + ordinal();
    }

    /** Where {@code ./mvnw package} puts the service's runnable jar, next to its {@code lib/}. */
    public Path jar(Path repository) {
        return repository.resolve(moduleName).resolve("target").resolve(moduleName + ".jar");
    }

    public static SluiceService named(String name) {
        return Arrays.stream(values())
                .filter(service -> service.moduleName.equals(name.strip()))
                .findFirst()
                .orElseThrow(() -> new CliFailure("unknown service '" + name + "'; choose from " + allNames()));
    }

    public static String allNames() {
        return Arrays.stream(values()).map(SluiceService::moduleName).collect(Collectors.joining(","));
    }
}
