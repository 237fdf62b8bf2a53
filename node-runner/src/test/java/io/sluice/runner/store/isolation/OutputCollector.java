package io.sluice.runner.store.isolation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Collects what an {@link OutputListener} receives, with the time each piece arrived. */
final class OutputCollector implements OutputListener {

    /** One delivery. */
    record Piece(OutputStream stream, String text, long nanoTime) {
    }

    private final Map<OutputStream, ByteArrayOutputStream> bytes = new EnumMap<>(OutputStream.class);
    final ConcurrentLinkedQueue<Piece> pieces = new ConcurrentLinkedQueue<>();

    OutputCollector() {
        bytes.put(OutputStream.STDOUT, new ByteArrayOutputStream());
        bytes.put(OutputStream.STDERR, new ByteArrayOutputStream());
    }

    @Override
    public synchronized void output(String processName, OutputStream stream, byte[] data) {
        bytes.get(stream).writeBytes(data);
        pieces.add(new Piece(stream, new String(data, StandardCharsets.UTF_8), System.nanoTime()));
    }

    synchronized String text(OutputStream stream) {
        return bytes.get(stream).toString(StandardCharsets.UTF_8);
    }

    synchronized byte[] bytes(OutputStream stream) {
        return bytes.get(stream).toByteArray();
    }

    String stdout() {
        return text(OutputStream.STDOUT);
    }

    String stderr() {
        return text(OutputStream.STDERR);
    }
}
