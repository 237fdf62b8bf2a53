package io.sluice.well.edge;

import io.micronaut.context.annotation.Requires;
import io.sluice.bus.consume.ConsumedEvent;
import io.sluice.bus.consume.EventHandler;
import io.sluice.bus.consume.HandlerContext;
import io.sluice.events.job.JobCancelRequested;
import io.sluice.events.job.JobRequestEnvelope;
import io.sluice.schemas.Topic;
import io.sluice.well.store.TransactionProbe;
import io.sluice.well.store.TransactionProbeRepository;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;

/**
 * A probe consumer (test only, switched on by {@value #SWITCH}): for each cancel request it saves a row through the
 * repository and one with plain JDBC on the handler's connection, and fails after both when the reason says so.
 */
@Singleton
@Requires(property = TransactionProbeConsumer.SWITCH, value = "true")
public class TransactionProbeConsumer implements EventHandler<JobRequestEnvelope> {

    public static final String SWITCH = "sluice.test.transaction-probe-consumer";
    public static final String FAIL_AFTER_WRITING = "fail after writing";
    public static final String PLAIN_SUFFIX = "/plain";

    private final TransactionProbeRepository probes;

    public TransactionProbeConsumer(TransactionProbeRepository probes) {
        this.probes = probes;
    }

    @Override
    public Topic topic() {
        return Topic.JOB_REQUESTS;
    }

    @Override
    public String consumerName() {
        return "well.transaction-probe";
    }

    @Override
    public boolean concerns(JobRequestEnvelope envelope) {
        return envelope.getPayload() instanceof JobCancelRequested;
    }

    @Override
    public void handle(ConsumedEvent<JobRequestEnvelope> event, HandlerContext context) throws Exception {
        JobCancelRequested request = (JobCancelRequested) event.envelope().getPayload();
        String id = request.getJobId().toString();
        probes.save(new TransactionProbe(id, "repository"));
        try (PreparedStatement insert = context.connection().prepareStatement(
                "INSERT INTO transaction_probe (id, written_by) VALUES (?, 'plain jdbc')")) {
            insert.setString(1, id + PLAIN_SUFFIX);
            insert.executeUpdate();
        }
        if (request.getReason() != null && FAIL_AFTER_WRITING.contentEquals(request.getReason())) {
            throw new IllegalStateException("the probe fails after both writes, as asked");
        }
    }
}
