package io.sluice.well.store.provision.command;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.sluice.well.store.provision.ProvisionFailedException;
import io.sluice.well.store.provision.ProvisionRequest;
import io.sluice.well.store.provision.ProvisionedResource;
import io.sluice.well.store.provision.Provisioner;
import io.sluice.well.store.provision.ReleaseRequest;

/**
 * The {@code command} provisioner: runs the operator's executables of one resource type to make and remove its
 * instances.
 *
 * <p>The provision command gets the request as environment variables ({@code SLUICE_INSTANCE_ID},
 * {@code SLUICE_RESOURCE_TYPE}, {@code SLUICE_JOB_ID}, {@code SLUICE_OWNER}, {@code SLUICE_SLOT},
 * {@code SLUICE_EXPIRES_AT} as ISO-8601, and each job parameter as {@code SLUICE_PARAM_<NAME>}, upper case with
 * other characters than A-Z and 0-9 as _) and prints one JSON object of string values on stdout, whose keys named
 * in the type's secret keys become secrets and the others metadata. The release command gets
 * {@code SLUICE_INSTANCE_ID} and {@code SLUICE_RESOURCE_TYPE}, and the metadata as one JSON object on stdin. Both
 * must be idempotent by instance id, as every provisioner is, and exit 0 on success.
 */
public final class CommandProvisioner implements Provisioner {

    private final CommandProvisionerSettings settings;

    public CommandProvisioner(CommandProvisionerSettings settings) {
        this.settings = settings;
    }

    @Override
    public ProvisionedResource provision(ProvisionRequest request)
            throws ProvisionFailedException, InterruptedException {
        String description = "provision command " + settings.provisionExecutable() + " for instance "
                + request.instanceId();
        Map<String, String> variables = new HashMap<>(parameterVariables(description, request.parameters()));
        variables.put("SLUICE_INSTANCE_ID", request.instanceId());
        variables.put("SLUICE_RESOURCE_TYPE", request.type());
        variables.put("SLUICE_JOB_ID", request.jobId());
        variables.put("SLUICE_OWNER", request.owner());
        variables.put("SLUICE_SLOT", Integer.toString(request.slot()));
        variables.put("SLUICE_EXPIRES_AT", request.expiresAt().toString());
        OperatorCommandResult result = new OperatorCommandRun(description, settings.provisionExecutable(),
                settings.timeout()).run(variables, new byte[0]);
        if (result.exitCode() != 0) {
            throw new ProvisionFailedException(description + " exited with code " + result.exitCode() + "; "
                    + result.stderrForMessage());
        }
        Map<String, String> printed;
        try {
            printed = CommandMetadataJson.read(result.stdout());
        } catch (CommandMetadataJson.MalformedOutputException e) {
            throw new ProvisionFailedException(description + " must print one JSON object of string values on"
                    + " stdout, but " + e.getMessage() + "; " + result.stderrForMessage());
        }
        Map<String, String> metadata = new HashMap<>();
        Map<String, String> secrets = new HashMap<>();
        printed.forEach((key, value) -> (settings.secretKeys().contains(key) ? secrets : metadata).put(key, value));
        return new ProvisionedResource(metadata, secrets);
    }

    @Override
    public void release(ReleaseRequest request) throws ProvisionFailedException, InterruptedException {
        String description = "release command " + settings.releaseExecutable() + " for instance "
                + request.instanceId();
        Map<String, String> variables = Map.of(
                "SLUICE_INSTANCE_ID", request.instanceId(),
                "SLUICE_RESOURCE_TYPE", request.type());
        OperatorCommandResult result = new OperatorCommandRun(description, settings.releaseExecutable(),
                settings.timeout()).run(variables, CommandMetadataJson.write(request.metadata()));
        if (result.exitCode() != 0) {
            throw new ProvisionFailedException(description + " exited with code " + result.exitCode() + "; "
                    + result.stderrForMessage());
        }
    }

    /** {@code SLUICE_PARAM_<NAME>} for each parameter; two names that would become one variable are an error. */
    private static Map<String, String> parameterVariables(String description, Map<String, String> parameters)
            throws ProvisionFailedException {
        Map<String, String> variables = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        // Sorted, so that the message about a clash names the same two parameters every time.
        for (Map.Entry<String, String> parameter : new TreeMap<>(parameters).entrySet()) {
            String variable = "SLUICE_PARAM_"
                    + parameter.getKey().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
            String earlier = sources.putIfAbsent(variable, parameter.getKey());
            if (earlier != null) {
                throw new ProvisionFailedException(description + " cannot run: the job's parameters " + earlier
                        + " and " + parameter.getKey() + " would both be " + variable);
            }
            variables.put(variable, parameter.getValue());
        }
        return variables;
    }
}
