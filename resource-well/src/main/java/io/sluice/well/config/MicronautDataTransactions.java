package io.sluice.well.config;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.sluice.bus.db.FrameworkTransactions;
import io.sluice.bus.db.Transactions;
import jakarta.inject.Singleton;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * Opens the plumbing's transactions through Micronaut Data's transaction manager, so the well's repositories write
 * on the connection that holds the processed-event record and the outbox rows.
 */
@Singleton
public class MicronautDataTransactions implements FrameworkTransactions {

    // A transaction of its own even when the caller is in one: the plumbing tells the outbox relay its rows are
    // committed as soon as inTransaction returns, as it does with plain JDBC transactions.
    private static final TransactionDefinition OWN_TRANSACTION =
            TransactionDefinition.of(TransactionDefinition.Propagation.REQUIRES_NEW);

    private final TransactionOperations<Connection> transactions;
    private final DataSource pool;

    public MicronautDataTransactions(TransactionOperations<Connection> transactions, DataSource dataSource) {
        this.transactions = transactions;
        // Micronaut Data hands out a DataSource whose connections exist only inside its transactions; the
        // plumbing's own sessions (relay, listener, migrations, health check) need the pool behind it.
        this.pool = DelegatingDataSource.unwrapDataSource(dataSource);
    }

    @Override
    public <T> T inTransaction(Transactions.Work<T> work) {
        // Micronaut rolls back on any exception and rethrows it as it was, checked ones included, so the consumer
        // loop still tells an unreachable database or a serialization failure from a failing handler.
        return transactions.execute(OWN_TRANSACTION, status -> work.run(status.getConnection()));
    }

    @Override
    public DataSource pool() {
        return pool;
    }
}
