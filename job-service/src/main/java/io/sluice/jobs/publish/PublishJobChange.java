package io.sluice.jobs.publish;

import io.sluice.bus.consume.HandlerContext;
import io.sluice.jobs.domain.JobChange;
import io.sluice.jobs.domain.Outgoing;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.Topic;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Sends what a saga decision sent, in the transaction that made it: demands to the wells and the factory keyed by
 * resource type and target, commands keyed by node, and the job's own events through {@link PublishJobEvents}.
 */
@Singleton
public final class PublishJobChange {

    private final PublishJobEvents jobEvents;

    public PublishJobChange(PublishJobEvents jobEvents) {
        this.jobEvents = jobEvents;
    }

    public void publish(HandlerContext context, JobChange change) throws SQLException {
        String jobId = change.after().jobId();
        List<SpecificRecord> ownEvents = new ArrayList<>();
        for (Outgoing out : change.events()) {
            switch (out) {
                case Outgoing.JobEvent event -> ownEvents.add(event.payload());
                case Outgoing.ToResourceWell demand -> emit(context, jobId, Topic.RESOURCE_DEMANDS,
                        demand.resourceType(), demand.payload());
                case Outgoing.ToWorkerFactory demand -> emit(context, jobId, Topic.WORKER_DEMANDS, demand.target(),
                        demand.payload());
                case Outgoing.ToNode command -> emit(context, jobId, Topic.NODE_COMMANDS, command.nodeId(),
                        command.payload());
            }
        }
        jobEvents.publish(context, jobId, ownEvents);
    }

    private static void emit(HandlerContext context, String jobId, Topic topic, String key, SpecificRecord payload)
            throws SQLException {
        context.emit(topic, key, Envelopes.envelope(topic, context.causedMetadata(jobId), payload));
    }
}
