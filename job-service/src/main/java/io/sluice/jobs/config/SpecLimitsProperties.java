package io.sluice.jobs.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.sluice.jobs.domain.SpecLimits;

/** The bounds on submitted jobs an operator may change ({@code sluice.jobs.limits.*}, e.g. {@code steps: 512}). */
@ConfigurationProperties("sluice.jobs.limits")
public class SpecLimitsProperties {

    private static final SpecLimits DEFAULTS = SpecLimits.defaults();

    private int requestBytes = DEFAULTS.requestBytes();
    private int steps = DEFAULTS.steps();
    private int argvPerStep = DEFAULTS.argvPerStep();
    private int envPerStep = DEFAULTS.envPerStep();
    private int valueBytes = DEFAULTS.valueBytes();
    private int scriptBytes = DEFAULTS.scriptBytes();
    private int execBytesPerStep = DEFAULTS.execBytesPerStep();
    private int envNameLength = DEFAULTS.envNameLength();
    private int inputs = DEFAULTS.inputs();
    private int inputPathLength = DEFAULTS.inputPathLength();
    private int inputUriLength = DEFAULTS.inputUriLength();
    private int labels = DEFAULTS.labels();
    private int labelKeyLength = DEFAULTS.labelKeyLength();
    private int labelValueLength = DEFAULTS.labelValueLength();
    private int resources = DEFAULTS.resources();
    private int jobNameLength = DEFAULTS.jobNameLength();
    private int stepNameLength = DEFAULTS.stepNameLength();
    private int ownerLength = DEFAULTS.ownerLength();
    private int targetLength = DEFAULTS.targetLength();
    private int resourceTypeLength = DEFAULTS.resourceTypeLength();
    private int persistentStoreLength = DEFAULTS.persistentStoreLength();

    /** The limits as intake's domain takes them; a limit below 1 fails the start naming it. */
    public SpecLimits limits() {
        return new SpecLimits(requestBytes, steps, argvPerStep, envPerStep,
                valueBytes, scriptBytes, execBytesPerStep, envNameLength,
                inputs, inputPathLength, inputUriLength, labels,
                labelKeyLength, labelValueLength, resources, jobNameLength,
                stepNameLength, ownerLength, targetLength,
                resourceTypeLength, persistentStoreLength);
    }

    public int getRequestBytes() { return requestBytes; }
    public void setRequestBytes(int requestBytes) { this.requestBytes = requestBytes; }
    public int getSteps() { return steps; }
    public void setSteps(int steps) { this.steps = steps; }
    public int getArgvPerStep() { return argvPerStep; }
    public void setArgvPerStep(int argvPerStep) { this.argvPerStep = argvPerStep; }
    public int getEnvPerStep() { return envPerStep; }
    public void setEnvPerStep(int envPerStep) { this.envPerStep = envPerStep; }
    public int getValueBytes() { return valueBytes; }
    public void setValueBytes(int valueBytes) { this.valueBytes = valueBytes; }
    public int getScriptBytes() { return scriptBytes; }
    public void setScriptBytes(int scriptBytes) { this.scriptBytes = scriptBytes; }
    public int getExecBytesPerStep() { return execBytesPerStep; }
    public void setExecBytesPerStep(int execBytesPerStep) { this.execBytesPerStep = execBytesPerStep; }
    public int getEnvNameLength() { return envNameLength; }
    public void setEnvNameLength(int envNameLength) { this.envNameLength = envNameLength; }
    public int getInputs() { return inputs; }
    public void setInputs(int inputs) { this.inputs = inputs; }
    public int getInputPathLength() { return inputPathLength; }
    public void setInputPathLength(int inputPathLength) { this.inputPathLength = inputPathLength; }
    public int getInputUriLength() { return inputUriLength; }
    public void setInputUriLength(int inputUriLength) { this.inputUriLength = inputUriLength; }
    public int getLabels() { return labels; }
    public void setLabels(int labels) { this.labels = labels; }
    public int getLabelKeyLength() { return labelKeyLength; }
    public void setLabelKeyLength(int labelKeyLength) { this.labelKeyLength = labelKeyLength; }
    public int getLabelValueLength() { return labelValueLength; }
    public void setLabelValueLength(int labelValueLength) { this.labelValueLength = labelValueLength; }
    public int getResources() { return resources; }
    public void setResources(int resources) { this.resources = resources; }
    public int getJobNameLength() { return jobNameLength; }
    public void setJobNameLength(int jobNameLength) { this.jobNameLength = jobNameLength; }
    public int getStepNameLength() { return stepNameLength; }
    public void setStepNameLength(int stepNameLength) { this.stepNameLength = stepNameLength; }
    public int getOwnerLength() { return ownerLength; }
    public void setOwnerLength(int ownerLength) { this.ownerLength = ownerLength; }
    public int getTargetLength() { return targetLength; }
    public void setTargetLength(int targetLength) { this.targetLength = targetLength; }
    public int getResourceTypeLength() { return resourceTypeLength; }
    public void setResourceTypeLength(int resourceTypeLength) { this.resourceTypeLength = resourceTypeLength; }
    public int getPersistentStoreLength() { return persistentStoreLength; }
    public void setPersistentStoreLength(int persistentStoreLength) { this.persistentStoreLength = persistentStoreLength; }
}
