package io.sluice.bus.testapp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.supervise.BusSettings;
import io.sluice.bus.supervise.BusSupervisor;
import io.sluice.bus.task.PeriodicTask;
import io.sluice.schemas.TopicNaming;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/** A tiny service on the real plumbing: counts submitted jobs, emits JobAccepted, counts accepted jobs. */
public final class CountingApp {

    static final String MIGRATIONS = "classpath:io/sluice/bus/testapp/migration";

    /** Where the app's broker, database and topics are. */
    public record Wiring(String bootstrapServers, String jdbcUrl, String user, String password, String schema,
                         String topicPrefix) {

        public List<String> asArgs() {
            return List.of(bootstrapServers, jdbcUrl, user, password, schema, topicPrefix);
        }

        static Wiring fromArgs(String[] args) {
            return new Wiring(args[0], args[1], args[2], args[3], args[4], args[5]);
        }

        public PGSimpleDataSource dataSource() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(jdbcUrl);
            dataSource.setUser(user);
            dataSource.setPassword(password);
            dataSource.setCurrentSchema(schema);
            return dataSource;
        }
    }

    private CountingApp() {
    }

    public static BusSupervisor start(Wiring wiring, String instanceId, ServiceHealth health,
                                           CrashPoints crashPoints) {
        return start(wiring, instanceId, health, crashPoints, List.of());
    }

    /** Starts the app with periodic tasks of the caller's beside its two consumers. */
    public static BusSupervisor start(Wiring wiring, String instanceId, ServiceHealth health,
                                           CrashPoints crashPoints, List<PeriodicTask> tasks) {
        BusSettings settings = new BusSettings("counting", instanceId, wiring.bootstrapServers(), (short) 1,
                new TopicNaming(wiring.topicPrefix()), wiring.schema(), wiring.jdbcUrl(), MIGRATIONS,
                Duration.ofMillis(500));
        BusSupervisor supervisor = new BusSupervisor(settings, health, wiring.dataSource(),
                List.of(new CountSubmittedJobs(), new CountAcceptedJobs()), tasks, crashPoints, new SimpleMeterRegistry(),
                Clock.systemUTC());
        supervisor.start();
        return supervisor;
    }
}
