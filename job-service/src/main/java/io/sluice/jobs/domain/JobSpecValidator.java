package io.sluice.jobs.domain;

import io.sluice.events.InputFile;
import io.sluice.events.JobSpec;
import io.sluice.events.ProcessLimits;
import io.sluice.events.ResourceRequest;
import io.sluice.events.StepSpec;
import io.sluice.events.job.SpecProblem;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks a submitted job field by field and says, for each problem, the field path and what is wrong, so the
 * person who submitted it can fix it. Also checks the owner holds every privilege the target, the resource types
 * and the capabilities require. The resource types a job may ask for are those the wells declared, passed in with
 * the job.
 */
public final class JobSpecValidator {

    static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final long MIN_MEMORY_BYTES = 4L * 1024 * 1024;
    private static final long MAX_GRACE_MILLIS = 3_600_000;
    private static final int MAX_RETRIES = 10;

    private final Catalogue catalogue;

    public JobSpecValidator(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** Every problem of the job, in field order; empty when the job may run on the declared resource types. */
    public List<SpecProblem> problemsOf(String jobId, JobSpec spec, Set<String> ownerPrivileges,
                                        Collection<DeclaredResourceType> declaredTypes) {
        Problems problems = new Problems();
        if (!JOB_ID.matcher(jobId).matches()) {
            problems.add("jobId", "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or "
                    + "digit (it names directories on the node), got '" + jobId + "'");
        }
        if (spec.getOwner().isBlank()) {
            problems.add("spec.owner", "must not be empty");
        }
        if (spec.getName().isBlank()) {
            problems.add("spec.name", "must not be empty");
        }
        checkTarget(spec.getTarget(), ownerPrivileges, problems);
        checkResources(spec.getResources(), ownerPrivileges, declaredTypes, problems);
        checkSteps(spec.getSteps(), ownerPrivileges, problems);
        checkInputs(spec.getInputs(), problems);
        positiveIfSet(spec.getRunTimeoutMillis(), "spec.runTimeoutMillis", problems);
        positiveIfSet(spec.getQueueTimeoutMillis(), "spec.queueTimeoutMillis", problems);
        if (spec.getRetriesOnNodeLoss() < 0 || spec.getRetriesOnNodeLoss() > MAX_RETRIES) {
            problems.add("spec.retriesOnNodeLoss", "must be between 0 and " + MAX_RETRIES + ", got "
                    + spec.getRetriesOnNodeLoss());
        }
        if (spec.getPersistentStore() != null && !NAME.matcher(spec.getPersistentStore()).matches()) {
            problems.add("spec.persistentStore", "must be 1 to 64 letters, digits, '.', '_' or '-', got '"
                    + spec.getPersistentStore() + "'");
        }
        spec.getLabels().keySet().stream().filter(String::isBlank).findFirst()
                .ifPresent(blank -> problems.add("spec.labels", "label names must not be empty"));
        return problems.list;
    }

    private void checkTarget(String target, Set<String> ownerPrivileges, Problems problems) {
        catalogue.target(target).ifPresentOrElse(known -> {
            if (known.privilege() != null && !ownerPrivileges.contains(known.privilege())) {
                problems.add("spec.target", "target '" + known.name() + "' requires privilege '" + known.privilege()
                        + "', which the owner does not hold");
            }
        }, () -> problems.add("spec.target", "unknown target '" + target + "'; known targets: "
                + String.join(", ", catalogue.targetNames())));
    }

    private static void checkResources(List<ResourceRequest> resources, Set<String> ownerPrivileges,
                                       Collection<DeclaredResourceType> declaredTypes, Problems problems) {
        Map<String, DeclaredResourceType> declared = new TreeMap<>();
        declaredTypes.forEach(type -> declared.put(type.name(), type));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < resources.size(); i++) {
            String path = "spec.resources[" + i + "].type";
            String type = resources.get(i).getType();
            if (!declared.containsKey(type)) {
                problems.add(path, "no resource well declares type '" + type + "'; " + (declared.isEmpty()
                        ? "none are declared" : "declared types: " + String.join(", ", declared.keySet())));
            } else {
                String privilege = declared.get(type).privilege();
                if (privilege != null && !ownerPrivileges.contains(privilege)) {
                    problems.add(path, "resource type '" + type + "' requires privilege '" + privilege
                            + "', which the owner does not hold");
                }
            }
            if (!seen.add(type)) {
                problems.add(path, "resource type '" + type + "' is asked for twice; ask once per type");
            }
        }
    }

    private void checkSteps(List<StepSpec> steps, Set<String> ownerPrivileges, Problems problems) {
        if (steps.isEmpty()) {
            problems.add("spec.steps", "a job needs at least one step");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            StepSpec step = steps.get(i);
            String path = "spec.steps[" + i + "]";
            if (!NAME.matcher(step.getName()).matches()) {
                problems.add(path + ".name", "must be 1 to 64 letters, digits, '.', '_' or '-' (it names the "
                        + "step's log files), got '" + step.getName() + "'");
            } else if (!names.add(step.getName())) {
                problems.add(path + ".name", "step name '" + step.getName() + "' is used twice");
            }
            boolean hasScript = step.getScript() != null;
            if (hasScript == !step.getArgv().isEmpty()) {
                problems.add(path, "give exactly one of argv and script");
            } else if (!hasScript && step.getArgv().get(0).isBlank()) {
                problems.add(path + ".argv[0]", "the program to run must not be empty");
            }
            for (String variable : step.getEnv().keySet()) {
                if (!ENV_NAME.matcher(variable).matches()) {
                    problems.add(path + ".env." + variable, "is not a valid environment variable name");
                }
            }
            if (step.getWorkdir() != null && !step.getWorkdir().startsWith("/")) {
                problems.add(path + ".workdir", "must be an absolute path inside the container, got '"
                        + step.getWorkdir() + "'");
            }
            checkLimits(step.getLimits(), path + ".limits", problems);
            if (step.getStopGraceMillis() < 0 || step.getStopGraceMillis() > MAX_GRACE_MILLIS) {
                problems.add(path + ".stopGraceMillis", "must be between 0 and " + MAX_GRACE_MILLIS + ", got "
                        + step.getStopGraceMillis());
            }
            for (int c = 0; c < step.getCapabilities().size(); c++) {
                String privilege = "capability:" + step.getCapabilities().get(c);
                if (!ownerPrivileges.contains(privilege)) {
                    problems.add(path + ".capabilities[" + c + "]", "granting " + step.getCapabilities().get(c)
                            + " requires privilege '" + privilege + "', which the owner does not hold");
                }
            }
        }
    }

    private static void checkLimits(ProcessLimits limits, String path, Problems problems) {
        if (limits.getMemoryBytes() != null && limits.getMemoryBytes() < MIN_MEMORY_BYTES) {
            problems.add(path + ".memoryBytes", "must be at least " + MIN_MEMORY_BYTES + " (4 MiB), got "
                    + limits.getMemoryBytes());
        }
        if (limits.getPids() != null && limits.getPids() < 1) {
            problems.add(path + ".pids", "must be at least 1, got " + limits.getPids());
        }
        if (limits.getOpenFiles() != null && limits.getOpenFiles() < 1) {
            problems.add(path + ".openFiles", "must be at least 1, got " + limits.getOpenFiles());
        }
        if (limits.getCpuShares() != null && (limits.getCpuShares() < 2 || limits.getCpuShares() > 262_144)) {
            problems.add(path + ".cpuShares", "must be between 2 and 262144, got " + limits.getCpuShares());
        }
    }

    private static void checkInputs(List<InputFile> inputs, Problems problems) {
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            InputFile input = inputs.get(i);
            String path = "spec.inputs[" + i + "]";
            if (!SHA256.matcher(input.getSha256()).matches()) {
                problems.add(path + ".sha256", "must be 64 lowercase hex digits, got '" + input.getSha256() + "'");
            }
            if (!hasScheme(input.getFetchUri())) {
                problems.add(path + ".fetchUri", "must be an absolute URI (file:, http:, https:), got '"
                        + input.getFetchUri() + "'");
            }
            String file = input.getPath();
            if (file.isBlank() || file.startsWith("/") || List.of(file.split("/")).contains("..")) {
                problems.add(path + ".path", "must be a relative path inside the job's data directory without "
                        + "'..', got '" + file + "'");
            } else if (!paths.add(file)) {
                problems.add(path + ".path", "path '" + file + "' is used by two inputs");
            }
        }
    }

    private static boolean hasScheme(String uri) {
        try {
            return URI.create(uri).getScheme() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void positiveIfSet(Long millis, String path, Problems problems) {
        if (millis != null && millis <= 0) {
            problems.add(path, "must be positive when set, got " + millis);
        }
    }

    /** Collects problems in the order they were found. */
    private static final class Problems {
        final List<SpecProblem> list = new ArrayList<>();

        void add(String field, String message) {
            list.add(SpecProblem.newBuilder().setField(field).setMessage(message).build());
        }
    }

    /** A one-line summary of the problems, as JobRejected's reason. */
    public static String summary(List<SpecProblem> problems) {
        StringBuilder text = new StringBuilder("invalid job: ");
        for (int i = 0; i < problems.size(); i++) {
            text.append(i == 0 ? "" : "; ").append(problems.get(i).getField()).append(": ")
                    .append(problems.get(i).getMessage());
        }
        return text.toString();
    }
}
