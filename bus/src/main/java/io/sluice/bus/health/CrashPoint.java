package io.sluice.bus.health;

/** The places in the plumbing where a crash is most dangerous; tests stop the process at each of them. */
public enum CrashPoint {
    /** A record has taken effect in its database transaction, which is not committed yet. */
    CONSUMED_BEFORE_DB_COMMIT,
    /** The database transaction is committed; neither the Kafka offset is committed nor the events published. */
    DB_COMMITTED_BEFORE_PUBLISH,
    /** The relay's records are acknowledged by the broker but not yet marked published in the outbox. */
    PUBLISHED_BEFORE_MARKED
}
