package io.sluice.bus.db;

import javax.sql.DataSource;

/**
 * Transactions that a service's framework opens and the plumbing works in (say, Micronaut Data's transaction
 * manager), so that the service's repositories write on the connection that also holds the processed-event record
 * and the outbox rows; a service opts in by declaring one as a bean.
 */
public interface FrameworkTransactions {

    /**
     * Runs {@code work} in a new transaction of the framework's, on the connection the framework binds to it: commits
     * when {@code work} returns, rolls back and rethrows what it threw when it throws.
     */
    <T> T inTransaction(Transactions.Work<T> work) throws Exception;

    /**
     * The pool itself, for the plumbing's sessions outside any transaction of the framework's (the health check, the
     * migrations, the outbox relay and its listener): a framework that binds connections to its transactions may
     * hand out a data source bean that works only inside one.
     */
    DataSource pool();
}
