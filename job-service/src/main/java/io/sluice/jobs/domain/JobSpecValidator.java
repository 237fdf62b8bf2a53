package io.sluice.jobs.domain;

import io.sluice.events.InputFile;
import io.sluice.events.JobNetwork;
import io.sluice.events.JobSpec;
import io.sluice.events.ProcessLimits;
import io.sluice.events.ResourceRequest;
import io.sluice.events.StepSpec;
import io.sluice.events.job.SpecProblem;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks a submitted job field by field and says, for each problem, the field path and what is wrong, so the
 * person who submitted it can fix it. Also checks the owner holds every privilege the target, the resource types
 * and the capabilities require. The resource types a job may ask for are those the wells declared, passed in with
 * the job. Every part of a job is bounded by the {@link SpecLimits} it is built with, and so is what it answers: a
 * value it quotes is shortened, and it lists at most {@value #MAX_PROBLEMS} problems.
 */
public final class JobSpecValidator {

    static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final long MIN_MEMORY_BYTES = 4L * 1024 * 1024;
    private static final long MAX_GRACE_MILLIS = 3_600_000;
    private static final int MAX_RETRIES = 10;
    /** The privilege an owner needs to run a job on the host's network instead of one of its own. */
    public static final String NETWORK_HOST_PRIVILEGE = "network:host";
    static final int MAX_PROBLEMS = 50;
    private static final int QUOTED_LENGTH = 64;
    private static final int CUT_LENGTH = 512;

    private final Catalogue catalogue;
    private final SpecLimits limits;

    public JobSpecValidator(Catalogue catalogue, SpecLimits limits) {
        this.catalogue = catalogue;
        this.limits = limits;
    }

    /**
     * Every problem of the job, in field order; empty when the job may run on the declared resource types.
     * {@code requestBytes} is the size of the encoded request that carried it.
     */
    public List<SpecProblem> problemsOf(String jobId, JobSpec spec, long requestBytes, Set<String> ownerPrivileges,
                                        Collection<DeclaredResourceType> declaredTypes) {
        Problems problems = new Problems();
        if (!isJobId(jobId)) {
            problems.add("jobId", "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or "
                    + "digit (it names directories on the node), got " + quoted(jobId));
        }
        atMost(requestBytes, limits.requestBytes(), "request", "bytes (the encoded request)", problems);
        if (spec.getOwner().isBlank()) {
            problems.add("spec.owner", "must not be empty");
        } else if (!NAME.matcher(spec.getOwner()).matches()) {
            problems.add("spec.owner", "must be letters, digits, '.', '_' or '-', starting with a letter or digit "
                    + "(it names the owner's store directory on the node), got " + quoted(spec.getOwner()));
        }
        lengthAtMost(spec.getOwner(), limits.ownerLength(), "spec.owner", problems);
        if (spec.getName().isBlank()) {
            problems.add("spec.name", "must not be empty");
        }
        lengthAtMost(spec.getName(), limits.jobNameLength(), "spec.name", problems);
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
        if (spec.getPersistentStore() != null) {
            checkName(spec.getPersistentStore(), limits.persistentStoreLength(), "spec.persistentStore",
                    "it names a directory on the node", problems);
        }
        checkLabels(spec.getLabels(), problems);
        if (spec.getNetwork() == JobNetwork.HOST && !ownerPrivileges.contains(NETWORK_HOST_PRIVILEGE)) {
            problems.add("spec.network", "the host's network requires privilege '" + NETWORK_HOST_PRIVILEGE
                    + "', which the owner does not hold; leave network out for a network of the job's own");
        }
        return problems.list();
    }

    private void checkLabels(Map<String, String> labels, Problems problems) {
        atMost(labels.size(), limits.labels(), "spec.labels", "labels", problems);
        labels.keySet().stream().filter(String::isBlank).findFirst()
                .ifPresent(blank -> problems.add("spec.labels", "label names must not be empty"));
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            String path = "spec.labels." + shortened(label.getKey());
            if (label.getKey().length() > limits.labelKeyLength()) {
                problems.add(path, "the label's name is " + count(label.getKey().length()) + " characters; at most "
                        + count(limits.labelKeyLength()));
            }
            lengthAtMost(label.getValue(), limits.labelValueLength(), path, problems);
        }
    }

    private void checkTarget(String target, Set<String> ownerPrivileges, Problems problems) {
        if (target.length() > limits.targetLength()) {
            lengthAtMost(target, limits.targetLength(), "spec.target", problems);
            return;
        }
        catalogue.target(target).ifPresentOrElse(known -> {
            if (known.privilege() != null && !ownerPrivileges.contains(known.privilege())) {
                problems.add("spec.target", "target '" + known.name() + "' requires privilege '" + known.privilege()
                        + "', which the owner does not hold");
            }
        }, () -> problems.add("spec.target", "unknown target '" + target + "'; known targets: "
                + String.join(", ", catalogue.targetNames())));
    }

    private void checkResources(List<ResourceRequest> resources, Set<String> ownerPrivileges,
                                Collection<DeclaredResourceType> declaredTypes, Problems problems) {
        atMost(resources.size(), limits.resources(), "spec.resources", "resources", problems);
        Map<String, DeclaredResourceType> declared = new TreeMap<>();
        declaredTypes.forEach(type -> declared.put(type.name(), type));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < resources.size(); i++) {
            String path = "spec.resources[" + i + "].type";
            String type = resources.get(i).getType();
            if (type.length() > limits.resourceTypeLength()) {
                lengthAtMost(type, limits.resourceTypeLength(), path, problems);
                continue;
            }
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
        atMost(steps.size(), limits.steps(), "spec.steps", "steps", problems);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            StepSpec step = steps.get(i);
            String path = "spec.steps[" + i + "]";
            if (checkName(step.getName(), limits.stepNameLength(), path + ".name", "it names the step's log files",
                    problems) && !names.add(step.getName())) {
                problems.add(path + ".name", "step name '" + step.getName() + "' is used twice");
            }
            boolean hasScript = step.getScript() != null;
            if (hasScript == !step.getArgv().isEmpty()) {
                problems.add(path, "give exactly one of argv and script");
            } else if (!hasScript && step.getArgv().get(0).isBlank()) {
                problems.add(path + ".argv[0]", "the program to run must not be empty");
            }
            checkExec(step, path, problems);
            if (step.getWorkdir() != null && !step.getWorkdir().startsWith("/")) {
                problems.add(path + ".workdir", "must be an absolute path inside the container, got "
                        + quoted(step.getWorkdir()));
            }
            checkLimits(step.getLimits(), path + ".limits", problems);
            if (step.getStopGraceMillis() < 0 || step.getStopGraceMillis() > MAX_GRACE_MILLIS) {
                problems.add(path + ".stopGraceMillis", "must be between 0 and " + MAX_GRACE_MILLIS + ", got "
                        + step.getStopGraceMillis());
            }
            for (int c = 0; c < step.getCapabilities().size(); c++) {
                String privilege = "capability:" + step.getCapabilities().get(c);
                if (!ownerPrivileges.contains(privilege)) {
                    problems.add(path + ".capabilities[" + c + "]", "granting "
                            + shortened(step.getCapabilities().get(c)) + " requires privilege '" + shortened(privilege)
                            + "', which the owner does not hold");
                }
            }
        }
    }

    /** What goes to exec: argv (or the script), the environment, each bounded and all of it together. */
    private void checkExec(StepSpec step, String path, Problems problems) {
        atMost(step.getArgv().size(), limits.argvPerStep(), path + ".argv", "arguments", problems);
        long execBytes = 0;
        for (int a = 0; a < step.getArgv().size(); a++) {
            int bytes = utf8Length(step.getArgv().get(a));
            atMost(bytes, limits.valueBytes(), path + ".argv[" + a + "]", "bytes", problems);
            execBytes += bytes + 1;
        }
        if (step.getScript() != null) {
            int bytes = utf8Length(step.getScript());
            atMost(bytes, limits.scriptBytes(), path + ".script", "bytes", problems);
            execBytes += bytes + 1;
        }
        atMost(step.getEnv().size(), limits.envPerStep(), path + ".env", "variables", problems);
        for (Map.Entry<String, String> variable : new TreeMap<>(step.getEnv()).entrySet()) {
            String name = variable.getKey();
            String field = path + ".env." + shortened(name);
            if (name.length() > limits.envNameLength()) {
                problems.add(field, "the variable's name is " + count(name.length()) + " characters; at most "
                        + count(limits.envNameLength()));
            } else if (!ENV_NAME.matcher(name).matches()) {
                problems.add(field, "is not a valid environment variable name");
            }
            int bytes = utf8Length(variable.getValue());
            atMost(bytes, limits.valueBytes(), field, "bytes", problems);
            execBytes += name.length() + 1 + bytes + 1;
        }
        atMost(execBytes, limits.execBytesPerStep(), path, "bytes of arguments and environment together", problems);
    }

    /**
     * Whether {@code name} has the allowed characters and length; says what is wrong if not. {@code why} says what
     * the name is used for on the node.
     */
    private static boolean checkName(String name, int maxLength, String field, String why, Problems problems) {
        if (name.length() > maxLength) {
            problems.add(field, count(name.length()) + " characters; at most " + count(maxLength) + " (" + why + ")");
            return false;
        }
        if (!NAME.matcher(name).matches()) {
            problems.add(field, "must be 1 to " + maxLength + " letters, digits, '.', '_' or '-', starting with a "
                    + "letter or digit (" + why + "), got " + quoted(name));
            return false;
        }
        return true;
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

    private void checkInputs(List<InputFile> inputs, Problems problems) {
        // Inputs carry no content, only where a node fetches it; their count and the length of each reference
        // are what a job can make large here.
        atMost(inputs.size(), limits.inputs(), "spec.inputs", "inputs", problems);
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            InputFile input = inputs.get(i);
            String path = "spec.inputs[" + i + "]";
            if (!SHA256.matcher(input.getSha256()).matches()) {
                problems.add(path + ".sha256", "must be 64 lowercase hex digits, got " + quoted(input.getSha256()));
            }
            if (input.getFetchUri().length() > limits.inputUriLength()) {
                lengthAtMost(input.getFetchUri(), limits.inputUriLength(), path + ".fetchUri", problems);
            } else if (!hasScheme(input.getFetchUri())) {
                problems.add(path + ".fetchUri", "must be an absolute URI (file:, http:, https:), got "
                        + quoted(input.getFetchUri()));
            }
            String file = input.getPath();
            if (file.length() > limits.inputPathLength()) {
                lengthAtMost(file, limits.inputPathLength(), path + ".path", problems);
            } else if (file.isBlank() || file.startsWith("/") || List.of(file.split("/")).contains("..")) {
                problems.add(path + ".path", "must be a relative path inside the job's data directory without "
                        + "'..', got " + quoted(file));
            } else if (!paths.add(file)) {
                problems.add(path + ".path", "path " + quoted(file) + " is used by two inputs");
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

    private static void atMost(long actual, int limit, String field, String what, Problems problems) {
        if (actual > limit) {
            problems.add(field, count(actual) + " " + what + "; at most " + count(limit));
        }
    }

    private static void lengthAtMost(String value, int limit, String field, Problems problems) {
        atMost(value.length(), limit, field, "characters", problems);
    }

    private static String count(long number) {
        return String.format(Locale.ROOT, "%,d", number);
    }

    private static int utf8Length(String value) {
        // The size exec sees; a string of a job is at most the size of its request, so encoding it is cheap enough.
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A value as a message quotes it: in full when short, else its start and its length, so answers stay small. */
    static String quoted(String value) {
        return value.length() <= QUOTED_LENGTH ? "'" + value + "'"
                : "'" + shortened(value) + "' (" + count(value.length()) + " characters)";
    }

    /** Whether {@code jobId} can name a job: the saga and the projection are keyed by it. */
    public static boolean isJobId(String jobId) {
        return JOB_ID.matcher(jobId).matches();
    }

    /**
     * An owner or job name as a rejection carries it, cut after {@value #CUT_LENGTH} characters (above every
     * default limit): the rejection of a job whose name is over its limit must itself stay small, and the owner is
     * indexed in the projection, whose entries hold at most 2,704 bytes (512 characters take at most 2,048).
     */
    static String cut(String value) {
        return value.length() <= CUT_LENGTH ? value : value.substring(0, CUT_LENGTH) + "...";
    }

    /** A name as a field path shows it: in full when short, else its start. */
    static String shortened(String value) {
        return value.length() <= QUOTED_LENGTH ? value : value.substring(0, QUOTED_LENGTH - 16) + "...";
    }

    /** Collects problems in the order they were found, up to {@link #MAX_PROBLEMS}, then counts the rest. */
    private static final class Problems {
        private final List<SpecProblem> list = new ArrayList<>();
        private int omitted;

        void add(String field, String message) {
            if (list.size() < MAX_PROBLEMS) {
                list.add(SpecProblem.newBuilder().setField(field).setMessage(message).build());
            } else {
                omitted++;
            }
        }

        List<SpecProblem> list() {
            if (omitted == 0) {
                return list;
            }
            List<SpecProblem> all = new ArrayList<>(list);
            all.add(SpecProblem.newBuilder().setField("spec").setMessage("and " + count(omitted)
                    + " more problems not listed").build());
            return all;
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
