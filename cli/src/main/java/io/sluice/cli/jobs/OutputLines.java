package io.sluice.cli.jobs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import io.sluice.events.logs.LogChunk;
import io.sluice.events.logs.LogStream;

/**
 * Turns a job's log chunks into whole lines, each prefixed by its step and stream ({@code [build] hello},
 * {@code [build stderr] oops}). Each process's chunks are put in sequence order first: a repeated sequence number is
 * a duplicate and dropped, one that comes early waits for the gap before it to fill (or for the process to finish).
 * A line split across chunks, or across a multi-byte character, is printed once whole.
 */
final class OutputLines {

    /** Where each whole line goes: the process (step) that wrote it, its stream, its text without the newline. */
    interface LineSink {
        void line(String process, LogStream stream, String text);
    }

    private final LineSink sink;
    private final Map<StepRun, Sequence> sequences = new LinkedHashMap<>();
    private final Map<StepRun, Map<LogStream, ByteArrayOutputStream>> partialLines = new LinkedHashMap<>();

    /** Lines printed as text, each prefixed by its step and stream. */
    OutputLines(Consumer<String> printer) {
        this((process, stream, text) -> printer.accept(prefix(process, stream) + text));
    }

    OutputLines(LineSink sink) {
        this.sink = sink;
    }

    static String prefix(String process, LogStream stream) {
        return stream == LogStream.STDOUT ? "[" + process + "] " : "[" + process + " stderr] ";
    }

    void accept(LogChunk chunk) {
        StepRun key = StepRun.of(chunk);
        sequences.computeIfAbsent(key, k -> new Sequence()).offer(chunk).forEach(this::print);
    }

    /** The process ended: prints what waited behind a gap, then every unfinished line. */
    void finish(StepRun key) {
        Sequence sequence = sequences.get(key);
        if (sequence != null) {
            sequence.drain().forEach(this::print);
        }
        Map<LogStream, ByteArrayOutputStream> partial = partialLines.remove(key);
        if (partial != null) {
            partial.forEach((stream, line) -> {
                if (line.size() > 0) {
                    printLine(key.process(), stream, line);
                }
            });
        }
    }

    /** Every process ended (the job did, or the command stops reading). */
    void finishAll() {
        List<StepRun> keys = new ArrayList<>(sequences.keySet());
        keys.addAll(partialLines.keySet());
        keys.stream().distinct().forEach(this::finish);
    }

    private void print(LogChunk chunk) {
        ByteArrayOutputStream line = partialLines.computeIfAbsent(StepRun.of(chunk), k -> new LinkedHashMap<>())
                .computeIfAbsent(chunk.getStream(), s -> new ByteArrayOutputStream());
        ByteBuffer data = chunk.getData().duplicate();
        while (data.hasRemaining()) {
            byte next = data.get();
            if (next == '\n') {
                printLine(chunk.getProcess(), chunk.getStream(), line);
            } else {
                line.write(next);
            }
        }
    }

    private void printLine(String process, LogStream stream, ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        sink.line(process, stream, text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
    }

    /** One process's chunks, given out in sequence order, each once. */
    private static final class Sequence {
        private long next;
        private final TreeMap<Long, LogChunk> early = new TreeMap<>();

        List<LogChunk> offer(LogChunk chunk) {
            long number = chunk.getSequence();
            if (number < next || early.containsKey(number)) {
                return List.of();
            }
            early.put(number, chunk);
            List<LogChunk> ready = new ArrayList<>();
            while (!early.isEmpty() && early.firstKey() == next) {
                ready.add(early.pollFirstEntry().getValue());
                next++;
            }
            return ready;
        }

        /** What still waits, in order: the chunks before it are gone (retention) or never came. */
        List<LogChunk> drain() {
            List<LogChunk> rest = new ArrayList<>(early.values());
            if (!rest.isEmpty()) {
                next = rest.get(rest.size() - 1).getSequence() + 1;
            }
            early.clear();
            return rest;
        }
    }
}
