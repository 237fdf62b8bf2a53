package io.sluice.runner.publish.logs;

import io.sluice.events.logs.LogStream;
import io.sluice.runner.publish.logs.ShippingJournal.Chunk;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The chunks a previous runner sent without an acknowledgement, sent again byte for byte as the process's output is
 * read again from the checkpoint: each waits for its bytes, and they leave in sequence order.
 */
final class Replay {

    /** A chunk whose bytes were read again. */
    record Ready(Chunk chunk, byte[] bytes) {
    }

    private final Deque<Chunk> waiting;
    private final Map<LogStream, byte[]> received = new EnumMap<>(LogStream.class);

    Replay(List<Chunk> chunks) {
        this.waiting = new ArrayDeque<>(chunks);
        for (LogStream stream : LogStream.values()) {
            received.put(stream, new byte[0]);
        }
    }

    boolean done() {
        return waiting.isEmpty();
    }

    /** Takes bytes read again and returns the chunks they complete, in sequence order. */
    List<Ready> accept(LogStream stream, byte[] bytes) {
        byte[] before = received.get(stream);
        byte[] all = Arrays.copyOf(before, before.length + bytes.length);
        System.arraycopy(bytes, 0, all, before.length, bytes.length);
        received.put(stream, all);
        List<Ready> ready = new ArrayList<>();
        while (!waiting.isEmpty() && received.get(waiting.peek().stream()).length >= waiting.peek().length()) {
            Chunk chunk = waiting.poll();
            byte[] available = received.get(chunk.stream());
            ready.add(new Ready(chunk, Arrays.copyOf(available, chunk.length())));
            received.put(chunk.stream(), Arrays.copyOfRange(available, chunk.length(), available.length));
        }
        return ready;
    }

    /** What was read beyond the replayed chunks: new output, to be shipped once the replay is done. */
    byte[] leftover(LogStream stream) {
        return received.get(stream);
    }
}
