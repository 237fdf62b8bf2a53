package io.sluice.well.store.provision.postgres;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the {@code postgres-database} provisioner makes its databases: the server it administers (a JDBC URL, a
 * user that may create roles and databases, and its password), the host and port a job reaches that server at (which
 * may differ from the admin URL's, e.g. from inside a container), and the prefix of every database and role it names.
 */
public record PostgresDatabaseSettings(String adminJdbcUrl, String adminUser, String adminPassword, String jobHost,
                                       int jobPort, String namePrefix) {

    /** The prefix of the names made when none is configured. */
    public static final String DEFAULT_NAME_PREFIX = "sluice_";

    // The prefix starts the identifier, so it must start like one; 30 characters leave room for the instance's part.
    private static final Pattern NAME_PREFIX = Pattern.compile("[a-z_][a-z0-9_]{0,29}");

    public PostgresDatabaseSettings {
        Objects.requireNonNull(adminJdbcUrl, "adminJdbcUrl");
        Objects.requireNonNull(adminUser, "adminUser");
        Objects.requireNonNull(adminPassword, "adminPassword");
        Objects.requireNonNull(jobHost, "jobHost");
        Objects.requireNonNull(namePrefix, "namePrefix");
        if (!adminJdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("the admin JDBC URL must start with jdbc:postgresql://, not "
                    + adminJdbcUrl.split("\\?", 2)[0]);
        }
        if (jobHost.isBlank()) {
            throw new IllegalArgumentException("the job host must not be blank");
        }
        if (jobPort < 1 || jobPort > 65535) {
            throw new IllegalArgumentException("the job port must be within 1..65535, not " + jobPort);
        }
        if (!NAME_PREFIX.matcher(namePrefix).matches()) {
            throw new IllegalArgumentException("the name prefix must be up to 30 of a-z, 0-9 and _, starting with a"
                    + " letter or _, not '" + namePrefix + "'");
        }
    }

    /** Settings naming every database and role {@code sluice_...}. */
    public PostgresDatabaseSettings(String adminJdbcUrl, String adminUser, String adminPassword, String jobHost,
                                    int jobPort) {
        this(adminJdbcUrl, adminUser, adminPassword, jobHost, jobPort, DEFAULT_NAME_PREFIX);
    }

    /** The admin server's hosts and port as the admin URL names them, e.g. {@code localhost:5432}, for messages. */
    public String adminServer() {
        String rest = adminJdbcUrl.substring("jdbc:postgresql://".length());
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            if (rest.charAt(i) == '/' || rest.charAt(i) == '?') {
                end = i;
                break;
            }
        }
        return rest.substring(0, end);
    }

    @Override
    public String toString() {
        // The admin password stays out of logs and messages that print the settings.
        return "PostgresDatabaseSettings[adminJdbcUrl=" + adminJdbcUrl + ", adminUser=" + adminUser
                + ", adminPassword=(hidden), jobHost=" + jobHost + ", jobPort=" + jobPort + ", namePrefix="
                + namePrefix + "]";
    }
}
