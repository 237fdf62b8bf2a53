package io.sluice.bus.supervise;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.bus.BusRuntime;
import io.sluice.bus.consume.ConsumerLoopSettings;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.TransactionalConsumerLoop;
import io.sluice.bus.db.BusSchema;
import io.sluice.bus.db.Transactions;
import io.sluice.bus.health.ComponentState;
import io.sluice.bus.health.CrashPoints;
import io.sluice.bus.health.ServiceHealth;
import io.sluice.bus.kafka.KafkaSettings;
import io.sluice.bus.metrics.BusMetrics;
import io.sluice.bus.metrics.KafkaClientMeters;
import io.sluice.bus.outbox.Outbox;
import io.sluice.bus.outbox.OutboxNotifications;
import io.sluice.bus.outbox.OutboxRelay;
import io.sluice.bus.outbox.OutboxSignal;
import io.sluice.bus.task.PeriodicTask;
import io.sluice.bus.task.PeriodicTaskLoop;
import io.sluice.schemas.TopicCreator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a service's plumbing up and keeps watching it: waits until the broker and the database answer (reporting
 * which one does not, and where), creates the topics, migrates the schema, starts the outbox relay and one
 * consumer loop per handler and one thread per periodic task, then re-checks the dependencies every retry interval. It never exits the process:
 * a service whose dependency is away stays up and reports DOWN until it is back.
 */
public final class BusSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BusSupervisor.class);
    static final String KAFKA = "kafka";
    static final String DATABASE = "database";
    static final String STARTUP = "startup";
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

    private final BusSettings settings;
    private final ServiceHealth health;
    private final DataSource dataSource;
    private final Transactions transactions;
    private final List<? extends EventHandler<?>> handlers;
    private final List<? extends PeriodicTask> tasks;
    private final CrashPoints crashPoints;
    private final BusMetrics metrics;
    private final Clock clock;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<Runnable> whenRunning = new ArrayList<>();
    private boolean plumbingRuns;
    private Admin admin;
    private Producer<byte[], byte[]> producer;
    private BusRuntime runtime;
    private Thread thread;

    public BusSupervisor(BusSettings settings, ServiceHealth health, DataSource dataSource,
                              List<? extends EventHandler<?>> handlers, List<? extends PeriodicTask> tasks,
                              CrashPoints crashPoints, MeterRegistry meterRegistry, Clock clock) {
        this(settings, health, dataSource, dataSource == null ? null : new Transactions(dataSource), handlers, tasks,
                crashPoints, meterRegistry, clock);
    }

    /**
     * A supervisor whose loops and tasks work in {@code transactions} (say, ones the service's framework opens),
     * while its own sessions (health check, migrations, outbox relay and listener) use {@code dataSource}.
     */
    public BusSupervisor(BusSettings settings, ServiceHealth health, DataSource dataSource, Transactions transactions,
                              List<? extends EventHandler<?>> handlers, List<? extends PeriodicTask> tasks,
                              CrashPoints crashPoints, MeterRegistry meterRegistry, Clock clock) {
        this.settings = settings;
        this.health = health;
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.handlers = handlers;
        this.tasks = tasks;
        this.crashPoints = crashPoints;
        this.metrics = new BusMetrics(meterRegistry);
        this.clock = clock;
    }

    public synchronized void start() {
        health.report(KAFKA, ComponentState.starting("connecting to " + settings.bootstrapServers()));
        if (settings.hasDatabase()) {
            health.report(DATABASE, ComponentState.starting("connecting to " + settings.databaseDescription()));
        }
        health.report(STARTUP, ComponentState.starting("waiting for the broker and the database"));
        thread = new Thread(this::superviseUntilStopped, settings.serviceName() + "-supervisor");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs {@code action} once the topics exist and the schema is migrated, before the consumer loops start (at
     * once if that happened already): where a service prepares or starts what the plumbing does not do for it.
     */
    public synchronized void whenRunning(Runnable action) {
        if (plumbingRuns) {
            action.run();
        } else {
            whenRunning.add(action);
        }
    }

    /** The plumbing once it runs, for code that emits events outside a consumer loop; null before. */
    public synchronized BusRuntime runtime() {
        return runtime;
    }

    private void superviseUntilStopped() {
        admin = Admin.create(KafkaSettings.admin(settings.bootstrapServers(), settings.producer() + "/admin",
                CHECK_TIMEOUT, settings.kafkaProperties()));
        try {
            do {
                boolean kafkaUp = checkKafka();
                boolean databaseUp = !settings.hasDatabase() || checkDatabase();
                if (!isRunning() && kafkaUp && databaseUp) {
                    startBus();
                }
                if (isRunning() && databaseUp && settings.hasDatabase()) {
                    refreshOutboxBacklog();
                }
            } while (!stop.await(settings.retryInterval().toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean checkKafka() {
        try {
            String clusterId = admin.describeCluster().clusterId().get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            health.report(KAFKA, ComponentState.up("connected to " + settings.bootstrapServers()
                    + " (cluster " + clusterId + ")"));
            return true;
        } catch (Exception e) {
            health.report(KAFKA, ComponentState.down("Kafka broker unreachable at " + settings.bootstrapServers()
                    + ": " + rootMessage(e) + "; retrying every " + settings.retryInterval().toSeconds() + " s"));
            return false;
        }
    }

    private boolean checkDatabase() {
        try (Connection connection = dataSource.getConnection()) {
            connection.isValid((int) CHECK_TIMEOUT.toSeconds());
            health.report(DATABASE, ComponentState.up("connected to " + settings.databaseDescription()));
            return true;
        } catch (Exception e) {
            health.report(DATABASE, ComponentState.down("PostgreSQL unreachable at " + settings.databaseDescription()
                    + ": " + rootMessage(e) + "; retrying every " + settings.retryInterval().toSeconds() + " s"));
            return false;
        }
    }

    private void refreshOutboxBacklog() {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT count(*) FROM bus_outbox WHERE published_at IS NULL")) {
            count.next();
            metrics.unpublishedBacklog(count.getLong(1));
        } catch (Exception e) {
            LOG.debug("cannot count the outbox backlog", e);
        }
    }

    private synchronized boolean isRunning() {
        return plumbingRuns;
    }

    private synchronized void startBus() {
        try {
            // On a broker with ACLs a service may not create topics: its operator creates them (sluice dev does).
            if (settings.createsTopics()) {
                new TopicCreator(admin, settings.naming(), settings.replicationFactor(), TopicCreator.DEFAULT_TIMEOUT)
                        .createAll();
            }
            if (settings.hasDatabase()) {
                BusSchema.migrate(dataSource, settings.databaseSchema(), settings.serviceMigrations());
            }
        } catch (Exception e) {
            health.report(STARTUP, ComponentState.down("cannot prepare topics or schema: " + rootMessage(e)));
            return;
        }
        health.report(STARTUP, ComponentState.up("topics and schema ready"));
        producer = new KafkaProducer<>(KafkaSettings.producer(settings.bootstrapServers(), settings.producer(),
                settings.kafkaProperties()));
        started.add(KafkaClientMeters.bind(metrics.registry(), producer, "outbox-relay"));
        if (settings.hasDatabase()) {
            OutboxSignal signal = new OutboxSignal();
            runtime = new BusRuntime(settings.producer(), settings.naming(), transactions,
                    new Outbox(settings.naming(), signal), signal, health, metrics, crashPoints, clock);
            OutboxRelay relay = new OutboxRelay(dataSource, producer, runtime.outboxSignal(), health,
                    crashPoints, metrics, OutboxRelay.RelaySettings.defaults());
            relay.start();
            started.add(relay);
            OutboxNotifications notifications = new OutboxNotifications(dataSource, settings.databaseSchema(),
                    runtime.outboxSignal(), runtime.outbox().sessions(), settings.retryInterval());
            notifications.start();
            started.add(notifications);
        }
        plumbingRuns = true;
        // Before the loops start, so what the service prepares (say, seeded tables) is there for the first event.
        whenRunning.forEach(Runnable::run);
        whenRunning.clear();
        if (settings.hasDatabase()) {
            handlers.forEach(this::startLoop);
            tasks.forEach(this::startTask);
        }
        LOG.info("{} plumbing runs: {} consumer loop(s), {} periodic task(s)", settings.serviceName(), handlers.size(),
                tasks.size());
    }

    private void startLoop(EventHandler<?> handler) {
        // The group lives in the same namespace as the topics, so two namespaces on one broker never share a group.
        String group = settings.naming().prefix() + handler.consumerName();
        var consumer = new KafkaConsumer<byte[], byte[]>(KafkaSettings.consumer(settings.bootstrapServers(), group,
                settings.producer() + "/" + handler.consumerName(), settings.kafkaProperties()));
        var loop = new TransactionalConsumerLoop<>(runtime, consumer, handler, ConsumerLoopSettings.defaults());
        metrics.consumes(handler.consumerName(), handler.topic().topicName());
        // Removed after the loop (which closes the consumer) stops: started is closed first to last.
        started.add(0, KafkaClientMeters.bind(metrics.registry(), consumer, handler.consumerName()));
        loop.start();
        started.add(0, loop);
    }

    private void startTask(PeriodicTask task) {
        var loop = new PeriodicTaskLoop(runtime, task);
        loop.start();
        started.add(0, loop);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // Both timeouts say the same to a person; one wording keeps the health line (and its log line) stable.
        if (root instanceof java.util.concurrent.TimeoutException
                || root instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "no answer within " + CHECK_TIMEOUT.toSeconds() + " s";
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** Stops the loops (each finishes its record in flight), then the relay, then the clients. */
    @Override
    public void close() throws Exception {
        stop.countDown();
        if (thread != null) {
            thread.join(15_000);
        }
        synchronized (this) {
            for (AutoCloseable component : started) {
                component.close();
            }
            if (producer != null) {
                producer.close(Duration.ofSeconds(10));
            }
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        }
    }
}
