package io.sluice.runner.store.isolation.shim;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts shims through a long-lived {@code sluice-shim --spawner} ({@code src/main/c/spawner.c}) instead of the JVM's
 * process spawn, which execs its {@code jspawnhelper} before every shim: a launch costs one spawn from a small process.
 *
 * <p>The spawner is the shims' parent and reports their ends; if it dies, the shims it started run on (init adopts
 * them, as it would had the runner died) and their ends are then watched through their pids. The next spawn starts a
 * new spawner.
 */
final class ShimSpawner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShimSpawner.class);
    private static final long REPLY_TIMEOUT_SECONDS = 10;

    private final Path binary;
    private Connection connection;
    private boolean closed;

    ShimSpawner(Path binary) {
        this.binary = binary;
    }

    /**
     * Starts {@code argv} with exactly {@code env}, in {@code cwd}, stdin from /dev/null, stdout and stderr appended
     * to {@code log}; the returned process ends when it does ({@link Process#exitValue} is -1 when its spawner died
     * before it and its status is unknown).
     */
    Process spawn(List<String> argv, Map<String, String> env, Path cwd, Path log) throws IOException {
        byte[] request = encode(argv, env, cwd, log);
        CompletableFuture<Process> reply;
        Connection current;
        synchronized (this) {
            if (closed) {
                throw new IOException("the shim spawner is closed");
            }
            if (connection == null || connection.lost) {
                if (connection != null) {
                    LOG.warn("the shim spawner ended; starting a new one");
                }
                connection = Connection.open(binary);
            }
            current = connection;
            reply = current.request(request);
        }
        try {
            return reply.get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            current.helper.destroyForcibly();
            throw new IOException("the shim spawner did not answer within " + REPLY_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a shim", e);
        }
    }

    /** Ends the spawner; the shims it started go on. */
    @Override
    public synchronized void close() {
        closed = true;
        if (connection != null) {
            connection.close();
        }
    }

    private static byte[] encode(List<String> argv, Map<String, String> env, Path cwd, Path log) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
        body.writeBytes(new byte[Integer.BYTES]); // the length, filled in once known
        append(body, Integer.toString(argv.size()));
        append(body, Integer.toString(env.size()));
        append(body, cwd.toAbsolutePath().toString());
        append(body, log.toAbsolutePath().toString());
        for (String arg : argv) {
            append(body, arg);
        }
        for (Map.Entry<String, String> variable : env.entrySet()) {
            append(body, variable.getKey() + "=" + variable.getValue());
        }
        byte[] request = body.toByteArray();
        ByteBuffer.wrap(request).putInt(0, request.length - Integer.BYTES); // big-endian, as spawner.c reads it
        return request;
    }

    private static void append(ByteArrayOutputStream body, String value) throws IOException {
        if (value.indexOf('\0') >= 0) {
            throw new IOException("a NUL character in an argument or variable of a shim: " + value.replace('\0', '?'));
        }
        body.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        body.write(0);
    }

    /** One spawner process, the requests awaiting its answer and the shims it has not yet reported ended. */
    private static final class Connection {

        private final Process helper;
        private final OutputStream requests;
        private final Queue<CompletableFuture<Process>> awaiting = new ArrayDeque<>();
        private final Map<Long, CompletableFuture<Integer>> running = new ConcurrentHashMap<>();
        private volatile boolean lost;

        private Connection(Process helper) {
            this.helper = helper;
            this.requests = helper.getOutputStream();
        }

        static Connection open(Path binary) throws IOException {
            Process helper = new ProcessBuilder(binary.toString(), "--spawner")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            Connection connection = new Connection(helper);
            Thread.ofPlatform().daemon().name("sluice-shim-spawner-" + helper.pid()).start(connection::readReplies);
            return connection;
        }

        /** Called with the spawner's lock held: requests and their answers keep one order. */
        CompletableFuture<Process> request(byte[] request) throws IOException {
            CompletableFuture<Process> reply = new CompletableFuture<>();
            synchronized (awaiting) {
                if (lost) {
                    throw new IOException("the shim spawner ended");
                }
                awaiting.add(reply);
            }
            try {
                requests.write(request);
                requests.flush();
            } catch (IOException e) {
                helper.destroyForcibly();
                throw new IOException("cannot reach the shim spawner: " + e.getMessage(), e);
            }
            return reply;
        }

        void close() {
            try {
                requests.close();
            } catch (IOException e) {
                helper.destroyForcibly();
            }
        }

        private void readReplies() {
            try (BufferedReader replies = new BufferedReader(new InputStreamReader(helper.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = replies.readLine()) != null) {
                    handle(line);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("lost the shim spawner: {}", e.toString());
            } finally {
                ended();
            }
        }

        private void handle(String line) {
            String[] parts = line.split(" ", 3);
            switch (parts[0]) {
                case "S" -> {
                    long pid = Long.parseLong(parts[1]);
                    CompletableFuture<Integer> exit = new CompletableFuture<>();
                    running.put(pid, exit);
                    next().complete(new SpawnedShim(pid, exit));
                }
                case "F" -> next().completeExceptionally(new IOException(parts.length > 2 ? parts[2] : line));
                case "X" -> {
                    CompletableFuture<Integer> exit = running.remove(Long.parseLong(parts[1]));
                    if (exit != null) {
                        exit.complete(Integer.parseInt(parts[2]));
                    }
                }
                default -> throw new IllegalStateException("unexpected line from the shim spawner: " + line);
            }
        }

        private CompletableFuture<Process> next() {
            synchronized (awaiting) {
                CompletableFuture<Process> reply = awaiting.poll();
                if (reply == null) {
                    throw new IllegalStateException("the shim spawner answered a request it was not sent");
                }
                return reply;
            }
        }

        /** The spawner is gone: unanswered requests fail, and the shims it started are watched by pid. */
        private void ended() {
            synchronized (awaiting) {
                lost = true;
                awaiting.forEach(reply -> reply.completeExceptionally(new IOException("the shim spawner ended")));
                awaiting.clear();
            }
            helper.destroyForcibly();
            running.forEach((pid, exit) -> ProcessHandle.of(pid).ifPresentOrElse(
                    handle -> handle.onExit().thenRun(() -> exit.complete(-1)), () -> exit.complete(-1)));
            running.clear();
        }
    }
}
