package io.sluice.jobs.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/** How intake trusts a request ({@code sluice.jobs.intake.*}). */
@ConfigurationProperties("sluice.jobs.intake")
public final class IntakeProperties {

    private boolean requireSignatures = true;

    /** Whether every request must be signed by a key registered for the owner it claims (true by default). */
    public boolean isRequireSignatures() {
        return requireSignatures;
    }

    public void setRequireSignatures(boolean requireSignatures) {
        this.requireSignatures = requireSignatures;
    }
}
