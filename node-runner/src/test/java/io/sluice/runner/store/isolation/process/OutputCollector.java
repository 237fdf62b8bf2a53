package io.sluice.runner.store.isolation.process;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Collects what an {@link OutputListener} receives, with the time each piece arrived. */
public final class OutputCollector implements OutputListener {

    /** One delivery. */
    public record Piece(OutputStream stream, String text, long nanoTime) {
    }

    private final Map<OutputStream, ByteArrayOutputStream> bytes = new EnumMap<>(OutputStream.class);
    public final ConcurrentLinkedQueue<Piece> pieces = new ConcurrentLinkedQueue<>();

    public OutputCollector() {
        bytes.put(OutputStream.STDOUT, new ByteArrayOutputStream());
        bytes.put(OutputStream.STDERR, new ByteArrayOutputStream());
    }

    @Override
    public synchronized void output(String processName, OutputStream stream, byte[] data) {
        bytes.get(stream).writeBytes(data);
        pieces.add(new Piece(stream, new String(data, StandardCharsets.UTF_8), System.nanoTime()));
    }

    public synchronized String text(OutputStream stream) {
        return bytes.get(stream).toString(StandardCharsets.UTF_8);
    }

    public synchronized byte[] bytes(OutputStream stream) {
        return bytes.get(stream).toByteArray();
    }

    public String stdout() {
        return text(OutputStream.STDOUT);
    }

    public String stderr() {
        return text(OutputStream.STDERR);
    }
}
