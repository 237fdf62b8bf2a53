package io.sluice.well.domain;

/** An instance's id: one demand per job and type, so the pair names it, and a repeated demand finds it again. */
public final class InstanceIds {

    private InstanceIds() {
    }

    public static String of(String jobId, String type) {
        return jobId + "/" + type;
    }
}
