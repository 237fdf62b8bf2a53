package io.sluice.cli.api;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where the commands find job-service's HTTP API: {@code --job-service URL}, else its variable, else `sluice dev`'s. */
public final class JobServiceOption {

    static final String ENVIRONMENT_VARIABLE = "SLUICE_JOB_SERVICE_URL";
    static final String DEFAULT = "http://localhost:8081";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--job-service", paramLabel = "URL",
            description = "job-service's HTTP API (default: $" + ENVIRONMENT_VARIABLE + ", else " + DEFAULT
                    + ", where `sluice dev` runs it).")
    private String address;

    ServiceApi api() {
        return ServiceAddresses.of(command, "job-service", address, "--job-service", ENVIRONMENT_VARIABLE, DEFAULT);
    }
}
