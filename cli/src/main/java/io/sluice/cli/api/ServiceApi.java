package io.sluice.cli.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.CliFailure;
import io.sluice.cli.jobs.JobExitCodes;

/**
 * One Sluice service's HTTP API as the read commands use it: GET requests answered in JSON, each bounded in time
 * ({@link #CONNECT_TIMEOUT}, {@link #REQUEST_TIMEOUT}) and in size ({@link #MAX_ANSWER_BYTES}); a service that does not
 * answer is one message saying where the command looked and how to point it elsewhere, exit code 3.
 */
public final class ServiceApi {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Larger than any answer a service gives (a job of 10,000 steps is about 2.5 MB), small enough to hold. */
    static final int MAX_ANSWER_BYTES = 16 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String service;
    private final URI base;
    private final String origin;
    private final HttpClient client;

    /**
     * @param origin where the address came from, for messages: {@code --job-service}, {@code $SLUICE_JOB_SERVICE_URL}
     *               or the default
     */
    ServiceApi(String service, URI base, String origin) {
        this.service = service;
        this.base = base;
        this.origin = origin;
        this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** An answer: its HTTP status and its JSON body. */
    public record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /** Where the service was looked for, as {@code job-service at http://localhost:8081}. */
    public String where() {
        return service + " at " + base;
    }

    /** GETs {@code pathAndQuery} (after the base address) and reads its JSON answer, whatever its status. */
    public Answer get(String pathAndQuery) {
        URI uri = URI.create(base.toString().replaceAll("/+$", "") + pathAndQuery);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw noAnswer("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw noAnswer("no answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw noAnswer("connection refused");
        } catch (IOException e) {
            throw noAnswer(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw noAnswer("interrupted");
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_ANSWER_BYTES + 1);
        } catch (IOException e) {
            throw noAnswer("the answer broke off: " + e.getMessage());
        }
        if (body.length > MAX_ANSWER_BYTES) {
            throw new CliFailure(service + " at " + base + " answered " + uri.getRawPath() + " with more than "
                    + (MAX_ANSWER_BYTES >> 20) + " MiB, more than this command reads", null, JobExitCodes.NO_ANSWER);
        }
        try {
            return new Answer(response.statusCode(), body.length == 0 ? JSON.nullNode() : JSON.readTree(body));
        } catch (IOException e) {
            throw new CliFailure(service + " at " + base + " answered " + uri.getRawPath() + " (HTTP "
                    + response.statusCode() + ") with something other than JSON: is that address " + service + "? ("
                    + origin + ")", null, JobExitCodes.NO_ANSWER);
        }
    }

    /** A failure for an answer that is neither what was asked nor a known refusal. */
    public CliFailure unexpected(String what, Answer answer) {
        String error = answer.body().path("error").asText("");
        return new CliFailure(service + " at " + base + " answered " + what + " with HTTP " + answer.status()
                + (error.isEmpty() ? "" : ": " + error), null,
                answer.status() == 400 ? JobExitCodes.REJECTED_OR_USAGE : JobExitCodes.NO_ANSWER);
    }

    private CliFailure noAnswer(String why) {
        return new CliFailure("no answer from " + service + " at " + base + " (" + why + "); the address came from "
                + origin + ": is " + service + " running (`./sluice dev` runs it there)?", null,
                JobExitCodes.NO_ANSWER);
    }
}
