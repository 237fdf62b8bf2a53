package io.sluice.jobs.edge.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;

/** The body of a failed API request: what was wrong and, for a bad parameter, which one. */
@Serdeable
public record ApiError(String error, @Nullable String parameter) {

    static HttpResponse<ApiError> badRequest(String parameter, String message) {
        return HttpResponse.<ApiError>status(HttpStatus.BAD_REQUEST).body(new ApiError(parameter + ": " + message,
                parameter));
    }

    static HttpResponse<ApiError> notFound(String jobId) {
        return HttpResponse.<ApiError>status(HttpStatus.NOT_FOUND).body(new ApiError("no job with id '" + jobId
                + "'", null));
    }
}
