package io.sluice.cli.api;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where the commands find worker-factory's HTTP API: {@code --worker-factory URL}, else its variable, else `sluice dev`'s. */
public final class WorkerFactoryOption {

    static final String ENVIRONMENT_VARIABLE = "SLUICE_WORKER_FACTORY_URL";
    static final String DEFAULT = "http://localhost:8083";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--worker-factory", paramLabel = "URL",
            description = "worker-factory's HTTP API (default: $" + ENVIRONMENT_VARIABLE + ", else " + DEFAULT
                    + ", where `sluice dev` runs it).")
    private String address;

    ServiceApi api() {
        return ServiceAddresses.of(command, "worker-factory", address, "--worker-factory", ENVIRONMENT_VARIABLE,
                DEFAULT);
    }
}
