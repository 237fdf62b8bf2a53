package io.sluice.jobs.edge.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.sluice.bus.micronaut.SluiceConfiguration;
import io.sluice.jobs.store.projection.JobSummary;
import io.sluice.jobs.store.projection.JobView;
import io.sluice.jobs.store.projection.JobViewReader;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import io.sluice.schemas.json.EventJsonEncoder;
import io.sluice.schemas.json.RecordPlace;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/** The read-only job API over the projection: list (summaries, paged, filtered), one job, one job's history. */
@Controller("/jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
public class JobsController {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    private static final int DEFAULT_EVENTS_LIMIT = 100;
    /** A page of events at most: a job of 10,000 steps has some 40,000 and is read page by page. */
    private static final int MAX_EVENTS_LIMIT = 1000;

    private final DataSource dataSource;
    private final JobViewReader reader;
    private final TopicNaming naming;

    public JobsController(DataSource dataSource, JobViewReader reader, SluiceConfiguration sluice) {
        this.dataSource = dataSource;
        this.reader = reader;
        this.naming = new TopicNaming(sluice.getTopicPrefix());
    }

    /**
     * A page of job summaries in submission order, filtered by state, owner, target and submission time
     * ({@code since}, an ISO-8601 instant); {@code next} is the {@code after} of the following page. {@code
     * order=newest} lists the latest submitted first ({@code oldest}, the default, the earliest).
     */
    @Get
    public HttpResponse<?> list(@Nullable @QueryValue String state, @Nullable @QueryValue String owner,
                                @Nullable @QueryValue String target, @Nullable @QueryValue String since,
                                @Nullable @QueryValue Integer limit, @Nullable @QueryValue String after,
                                @Nullable @QueryValue String order) throws SQLException {
        int pageSize = limit == null ? DEFAULT_LIMIT : limit;
        if (pageSize < 1 || pageSize > MAX_LIMIT) {
            return ApiError.badRequest("limit", "must be between 1 and " + MAX_LIMIT + ", got " + pageSize);
        }
        long afterSeq;
        try {
            afterSeq = after == null ? 0 : Long.parseLong(after);
        } catch (NumberFormatException e) {
            return ApiError.badRequest("after", "must be the 'next' value of a previous page, got '" + after + "'");
        }
        if (order != null && !order.equals("oldest") && !order.equals("newest")) {
            return ApiError.badRequest("order", "must be oldest or newest, got '" + order + "'");
        }
        boolean newestFirst = "newest".equals(order);
        Instant submittedSince;
        try {
            submittedSince = since == null ? null : Instant.parse(since);
        } catch (DateTimeParseException e) {
            return ApiError.badRequest("since", "must be an ISO-8601 instant such as 2026-12-06T15:00:00Z, got '"
                    + since + "'");
        }
        JobViewReader.JobFilter filter = new JobViewReader.JobFilter(
                state == null ? null : state.toUpperCase(Locale.ROOT), owner, target, submittedSince);
        try (Connection connection = dataSource.getConnection()) {
            JobViewReader.Page page = reader.page(connection, filter, afterSeq, pageSize, newestFirst);
            return HttpResponse.ok(new JobPage(page.jobs(),
                    page.lastSeq() == null ? null : String.valueOf(page.lastSeq())));
        }
    }

    @Get("/{id}")
    public HttpResponse<?> one(@PathVariable String id) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return reader.find(connection, id).<HttpResponse<?>>map(HttpResponse::ok)
                    .orElseGet(() -> ApiError.notFound(id));
        }
    }

    /**
     * A page of the job's events in order, each in the record form of {@link EventJsonEncoder} (the form
     * {@code sluice events -o json} prints): {@code {"jobId", "events": [...], "next"}}, {@code next} being the
     * {@code after} value of the following page, left out on the last. The history is written in the transaction that
     * emits the events, before the broker places them: partition, offset and timestamp are null.
     */
    @Get("/{id}/events")
    public HttpResponse<?> events(@PathVariable String id, @Nullable @QueryValue Integer limit,
                                  @Nullable @QueryValue String after) throws SQLException {
        int pageSize = limit == null ? DEFAULT_EVENTS_LIMIT : limit;
        if (pageSize < 1 || pageSize > MAX_EVENTS_LIMIT) {
            return ApiError.badRequest("limit", "must be between 1 and " + MAX_EVENTS_LIMIT + ", got " + pageSize);
        }
        int afterPosition;
        try {
            afterPosition = after == null ? 0 : Integer.parseInt(after);
        } catch (NumberFormatException e) {
            return ApiError.badRequest("after", "must be the 'next' value of a previous page, got '" + after + "'");
        }
        try (Connection connection = dataSource.getConnection()) {
            if (reader.find(connection, id).isEmpty()) {
                return ApiError.notFound(id);
            }
            // One row more than the page tells whether another page follows.
            List<JobViewReader.StoredHistory> rows = reader.history(connection, id, afterPosition, pageSize + 1);
            boolean more = rows.size() > pageSize;
            List<JobViewReader.StoredHistory> page = more ? rows.subList(0, pageSize) : rows;
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("jobId", id);
            ArrayNode events = body.putArray("events");
            RecordPlace place = RecordPlace.unplaced(naming.nameOf(Topic.JOB_EVENTS));
            for (JobViewReader.StoredHistory row : page) {
                events.add(EventJsonEncoder.record(place, id, eventPart(id, row)));
            }
            if (more) {
                body.put("next", String.valueOf(page.getLast().position()));
            }
            return HttpResponse.ok(EventJsonEncoder.text(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
        }
    }

    /** The stored event part; a row stored before the history held one has the payload alone and the columns. */
    private static ObjectNode eventPart(String jobId, JobViewReader.StoredHistory row) {
        ObjectNode stored = EventJsonEncoder.parse(row.detailJson());
        if (stored.has("metadata") && stored.has("payload")) {
            return stored;
        }
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        ObjectNode metadata = event.putObject("metadata");
        metadata.put("eventId", row.eventId());
        metadata.put("occurredAt", row.occurredAt().toString());
        metadata.put("correlationId", jobId);
        metadata.putNull("causationId");
        metadata.putNull("producer");
        event.put("type", row.type());
        event.set("payload", stored);
        return event;
    }

    /** A page of jobs; {@code next} is the {@code after} value of the following page, left out on the last. */
    @io.micronaut.serde.annotation.Serdeable
    public record JobPage(List<JobSummary> jobs, @Nullable String next) {
    }

}
