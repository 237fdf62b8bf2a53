package io.sluice.jobs.domain;

/**
 * The bounds intake puts on every part of a submitted job (operators set them as {@code sluice.jobs.limits.*});
 * sizes in bytes are of the UTF-8 encoding, lengths in characters.
 */
public record SpecLimits(
        int requestBytes,
        int steps,
        int argvPerStep,
        int envPerStep,
        int valueBytes,
        int scriptBytes,
        int execBytesPerStep,
        int envNameLength,
        int inputs,
        int inputPathLength,
        int inputUriLength,
        int labels,
        int labelKeyLength,
        int labelValueLength,
        int resources,
        int jobNameLength,
        int stepNameLength,
        int ownerLength,
        int targetLength,
        int resourceTypeLength,
        int persistentStoreLength) {

    // Why these exec bounds: a step's argv and environment go to execve(2) on the node. Linux refuses any single
    // string longer than MAX_ARG_STRLEN (128 KiB, "NAME=value" for a variable; a script is one string too, after
    // /bin/sh -c) and all strings with their pointers beyond ARG_MAX (a quarter of the stack limit: 2 MiB with the
    // usual 8 MiB), failing with "argument list too long" only when the step starts. Half of MAX_ARG_STRLEN per
    // value leaves room for the variable's name; an eighth of ARG_MAX per step leaves room for what the node runner
    // and the container add (TMPDIR, the resources' variables, the init's own arguments) and for smaller stack limits.
    private static final int KIB = 1024;

    /** Generous for demanding users, bounded for everyone; the table in job-service/README.md says what each bounds. */
    public static SpecLimits defaults() {
        return new SpecLimits(
                512 * KIB, // requestBytes: half the broker's default message size, so JobAccepted (the spec again) fits
                256,       // steps
                4096,      // argvPerStep
                1024,      // envPerStep
                64 * KIB,  // valueBytes: half of MAX_ARG_STRLEN
                64 * KIB,  // scriptBytes: a script is one argv string, so the same bound as a value
                256 * KIB, // execBytesPerStep: an eighth of ARG_MAX
                256,       // envNameLength
                1024,      // inputs
                1024,      // inputPathLength
                4096,      // inputUriLength
                64,        // labels
                128,       // labelKeyLength
                1024,      // labelValueLength
                32,        // resources
                256,       // jobNameLength
                64,        // stepNameLength: it names log files on the node
                128,       // ownerLength
                64,        // targetLength
                64,        // resourceTypeLength
                64);       // persistentStoreLength: it names a directory on the node
    }

    public SpecLimits {
        int[] values = {requestBytes, steps, argvPerStep, envPerStep, valueBytes, scriptBytes, execBytesPerStep,
                envNameLength, inputs, inputPathLength, inputUriLength, labels, labelKeyLength, labelValueLength,
                resources, jobNameLength, stepNameLength, ownerLength, targetLength, resourceTypeLength,
                persistentStoreLength};
        var names = SpecLimits.class.getRecordComponents();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 1) {
                throw new IllegalArgumentException("limit " + names[i].getName() + " must be at least 1, got "
                        + values[i]);
            }
        }
        // Names the node uses as file names (255 bytes at most; a step's log is "<step>.stdout.log") or that the
        // projection indexes (an index entry holds 2,704 bytes) cannot be allowed longer whatever the operator says.
        atMostHard("ownerLength", ownerLength, 255);
        atMostHard("stepNameLength", stepNameLength, 200);
        atMostHard("persistentStoreLength", persistentStoreLength, 255);
        atMostHard("resourceTypeLength", resourceTypeLength, 512);
    }

    private static void atMostHard(String name, int value, int most) {
        if (value > most) {
            throw new IllegalArgumentException("limit " + name + " can be at most " + most + ", got " + value);
        }
    }
}
