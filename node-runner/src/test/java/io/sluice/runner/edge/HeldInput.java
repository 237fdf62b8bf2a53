package io.sluice.runner.edge;

import com.sun.net.httpserver.HttpServer;
import io.sluice.events.InputFile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A job input served over HTTP that holds every response back until the test releases it. */
final class HeldInput implements AutoCloseable {

    static final String CONTENT = "input of the held worker\n";
    private static final byte[] BYTES = CONTENT.getBytes(StandardCharsets.UTF_8);

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final HttpServer server;

    HeldInput() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/input", exchange -> {
            requested.countDown();
            try {
                released.await();
                exchange.sendResponseHeaders(200, BYTES.length);
                exchange.getResponseBody().write(BYTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** The input as a PrepareWorker names it, placed at {@code input.txt} in the worker's data dir. */
    InputFile file() {
        try {
            return InputFile.newBuilder()
                    .setSha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BYTES)))
                    .setFetchUri("http://127.0.0.1:" + server.getAddress().getPort() + "/input")
                    .setPath("input.txt").setExecutable(false).setSizeBytes((long) BYTES.length).build();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until a runner asks for the input: from then on its worker is stuck preparing. */
    boolean awaitRequested() throws InterruptedException {
        return requested.await(NodeHarness.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    void release() {
        released.countDown();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
