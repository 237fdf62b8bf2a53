package io.sluice.cli.dev;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Asks a service's {@code GET /health} whether it is UP, keeping what it answered for when it is not. */
final class HealthProbe implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    /** What one probe saw: UP, or the answer (or the error) that says why not. */
    record Health(boolean up, String answer) {
    }

    /** Probes without blocking, so that several services are asked at once; never completes exceptionally. */
    CompletableFuture<Health> probe(URI healthUrl) {
        HttpRequest request = HttpRequest.newBuilder(healthUrl).timeout(TIMEOUT).GET().build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null) {
                return new Health(false, describe(error instanceof CompletionException ? error.getCause() : error));
            }
            boolean up = response.statusCode() == 200 && "UP".equals(overallStatus(response.body()));
            return new Health(up, "HTTP " + response.statusCode() + " " + response.body());
        });
    }

    private static String describe(Throwable noAnswer) {
        return switch (noAnswer) {
            case ConnectException refused -> "nothing listens on the port yet";
            case HttpTimeoutException slow -> "no answer within " + TIMEOUT.toSeconds() + " s";
            case null -> "no answer";
            default -> "no answer: " + noAnswer;
        };
    }

    /** The top-level status only: every component's "status" is in the answer too, and one may be UP alone. */
    static String overallStatus(String answer) {
        try {
            return JSON.readTree(answer).path("status").asText("");
        } catch (JsonProcessingException notJson) {
            return "";
        }
    }

    static URI healthUrl(int port) {
        return URI.create("http://localhost:" + port + "/health");
    }

    @Override
    public void close() {
        client.close();
    }
}
