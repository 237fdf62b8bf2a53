package io.sluice.bus.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs a unit of work in exactly one PostgreSQL transaction: committed as a whole or rolled back as a whole; on a
 * connection of its own from the data source, or in a transaction the service's framework opens.
 */
public final class Transactions {

    /** Work done with the transaction's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws Exception;
    }

    private final DataSource dataSource;
    private final FrameworkTransactions framework;

    /** Transactions on plain JDBC connections of {@code dataSource}. */
    public Transactions(DataSource dataSource) {
        this.dataSource = dataSource;
        this.framework = null;
    }

    /** Transactions that {@code framework} opens, which the framework's own data access joins. */
    public Transactions(FrameworkTransactions framework) {
        this.dataSource = null;
        this.framework = framework;
    }

    public <T> T inTransaction(Work<T> work) throws Exception {
        if (framework != null) {
            return framework.inTransaction(work);
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (Exception | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}
