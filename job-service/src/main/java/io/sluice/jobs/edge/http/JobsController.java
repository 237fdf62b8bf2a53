package io.sluice.jobs.edge.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.ObjectMapper;
import io.sluice.jobs.store.projection.HistoryEntry;
import io.sluice.jobs.store.projection.JobSummary;
import io.sluice.jobs.store.projection.JobViewReader;
import java.io.IOException;
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

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final JobViewReader reader;

    public JobsController(DataSource dataSource, ObjectMapper json, JobViewReader reader) {
        this.dataSource = dataSource;
        this.json = json;
        this.reader = reader;
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

    @Get("/{id}/events")
    public HttpResponse<?> events(@PathVariable String id) throws SQLException, IOException {
        try (Connection connection = dataSource.getConnection()) {
            if (reader.find(connection, id).isEmpty()) {
                return ApiError.notFound(id);
            }
            List<HistoryEntry> history = new ArrayList<>();
            for (JobViewReader.StoredHistory row : reader.history(connection, id)) {
                Map<String, Object> detail = json.readValue(row.detailJson(),
                        Argument.mapOf(String.class, Object.class));
                history.add(new HistoryEntry(row.position(), row.eventId(), row.type(), row.occurredAt(),
                        row.state(), detail));
            }
            return HttpResponse.ok(new JobHistory(id, history));
        }
    }

    /** A page of jobs; {@code next} is the {@code after} value of the following page, left out on the last. */
    @io.micronaut.serde.annotation.Serdeable
    public record JobPage(List<JobSummary> jobs, @Nullable String next) {
    }

    /** A job's transitions in order. */
    @io.micronaut.serde.annotation.Serdeable
    public record JobHistory(String jobId, List<HistoryEntry> events) {
    }
}
