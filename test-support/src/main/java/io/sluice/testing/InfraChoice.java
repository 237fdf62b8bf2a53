package io.sluice.testing;

import java.util.Map;
import java.util.function.BooleanSupplier;

/** Which broker and database the tests of this JVM use, decided from the environment alone. */
sealed interface InfraChoice {

    String KAFKA_BOOTSTRAP = "SLUICE_TEST_KAFKA_BOOTSTRAP";
    String JDBC_URL = "SLUICE_TEST_JDBC_URL";
    String JDBC_USER = "SLUICE_TEST_JDBC_USER";
    String JDBC_PASSWORD = "SLUICE_TEST_JDBC_PASSWORD";

    /** Servers someone else runs; the JDBC URL names a database from which the user may CREATE DATABASE. */
    record ExternalServers(String bootstrapServers, String jdbcUrl, String username, String password)
            implements InfraChoice {
    }

    /** Testcontainers' Kafka and PostgreSQL modules, where a Docker engine is reachable. */
    record Containers() implements InfraChoice {
    }

    /** An in-process broker and an embedded PostgreSQL server, where nothing else is available. */
    record LocalServers() implements InfraChoice {
    }

    /**
     * External servers when both {@value #KAFKA_BOOTSTRAP} and {@value #JDBC_URL} are set, else containers when
     * Docker answers, else local servers. Docker is asked only when the variables are absent.
     */
    static InfraChoice choose(Map<String, String> environment, BooleanSupplier dockerAvailable) {
        String bootstrap = blankToNull(environment.get(KAFKA_BOOTSTRAP));
        String jdbcUrl = blankToNull(environment.get(JDBC_URL));
        if (bootstrap != null && jdbcUrl != null) {
            return new ExternalServers(bootstrap, jdbcUrl,
                    environment.getOrDefault(JDBC_USER, "postgres"), environment.getOrDefault(JDBC_PASSWORD, ""));
        }
        // Half a configuration is a mistake; silently starting local servers would hide it.
        if (bootstrap != null || jdbcUrl != null) {
            throw new IllegalStateException("Set both " + KAFKA_BOOTSTRAP + " and " + JDBC_URL + " or neither; only "
                    + (bootstrap != null ? KAFKA_BOOTSTRAP : JDBC_URL) + " is set");
        }
        return dockerAvailable.getAsBoolean() ? new Containers() : new LocalServers();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
