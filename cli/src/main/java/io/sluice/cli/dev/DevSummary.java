package io.sluice.cli.dev;

import java.util.ArrayList;
import java.util.List;

/** The block {@code sluice dev} prints once everything is UP: where each part listens and how to stop it all. */
final class DevSummary {

    /** The summary's first line; scripts and tests wait for it. */
    static final String HEADLINE = "Sluice is running";

    private static final String RULE = "=".repeat(78);

    private DevSummary() {
    }

    static List<String> render(DevSettings settings, DevInfrastructure infrastructure, DevOwnerKey ownerKey,
                               String startupTime) {
        List<String> lines = new ArrayList<>();
        lines.add(RULE);
        lines.add(HEADLINE + ": " + settings.services().size() + " services UP in " + startupTime);
        if (infrastructure.kafkaSecured()) {
            lines.add(row("Kafka broker", infrastructure.bootstrapServers() + "  (SASL SCRAM-SHA-512 and ACLs: a "
                    + "principal per service, yours is 'user')"));
            lines.add(row("", "log in as 'user': ./sluice submit --kafka-config " + infrastructure.userClientConfig()
                    + " ..."));
            lines.add(row("", "or for every command: export SLUICE_KAFKA_CONFIG=" + infrastructure.userClientConfig()));
            lines.add(row("", "an operator's commands log in as the broker's admin: ./sluice admin drain NODE "
                    + "--kafka-config " + infrastructure.userClientConfig().resolveSibling(
                            DevCredentials.ADMIN_CLIENT_CONFIG)));
        } else {
            lines.add(row("Kafka broker", infrastructure.bootstrapServers() + "  (--insecure-kafka: no login, no "
                    + "ACLs, any client may read and write every topic)"));
        }
        lines.add(row("PostgreSQL", infrastructure.jdbcUrl() + "  (user " + infrastructure.username()
                + ", password in " + infrastructure.credentials().directory().resolve("postgres") + ")"));
        lines.add(row("scratch PG", infrastructure.scratchJdbcUrl() + "  (jobs' scratch databases, which jobs reach "
                + "at " + infrastructure.hostForJobs() + "; an isolated job reaches no other port of the host)"));
        lines.add(row("passwords", infrastructure.credentials().directory() + "  (0600, made once, never printed)"));
        for (SluiceService service : settings.services()) {
            String url = "http://localhost:" + settings.portOf(service);
            lines.add(row(service.moduleName(), url + "  (" + url + "/health, " + url + "/prometheus)"));
        }
        lines.add(row("data", settings.dataDirectory() + "  (kept across runs; --fresh starts empty)"));
        lines.add(row("owner key", ownerKey.keyFile() + "  (signs your requests as " + ownerKey.owner()
                + ", an admin; the cli finds it in this checkout, elsewhere: export SLUICE_OWNER_KEY=" + ownerKey.keyFile()
                + ")"));
        lines.add("Stop everything with Ctrl-C, or kill " + ProcessHandle.current().pid()
                + " (SIGTERM): services first, then PostgreSQL and Kafka.");
        lines.add(RULE);
        return lines;
    }

    private static String row(String name, String value) {
        return String.format("  %-15s %s", name, value);
    }
}
