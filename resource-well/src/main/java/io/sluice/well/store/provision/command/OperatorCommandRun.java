package io.sluice.well.store.provision.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.sluice.well.store.provision.ProvisionFailedException;

/**
 * Runs one operator executable to its end: a clean environment, the given stdin, stdout kept up to a bound, the last
 * bytes of stderr, and a deadline after which it and its child processes are killed.
 *
 * <p>Failure messages hold the end of stderr but never stdout, where a provision command prints its secrets.
 */
final class OperatorCommandRun {

    /** The most a command may print on stdout; more is a runaway, killed at once. */
    static final int STDOUT_LIMIT = 64 * 1024;
    /** How much of the end of stderr a failure message quotes. */
    static final int STDERR_TAIL = 2 * 1024;

    /** Variables of the well's own environment a command still gets: the well's secrets must not reach it. */
    private static final List<String> INHERITED_VARIABLES = List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ");
    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private final String description;
    private final Path executable;
    private final Duration timeout;

    /** {@code description} starts every message, e.g. "provision command /opt/lab/take for instance i-1". */
    OperatorCommandRun(String description, Path executable, Duration timeout) {
        this.description = description;
        this.executable = executable;
        this.timeout = timeout;
    }

    OperatorCommandResult run(Map<String, String> variables, byte[] stdin)
            throws ProvisionFailedException, InterruptedException {
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            throw new ProvisionFailedException(description + " cannot run: " + executable
                    + " is not an executable file");
        }
        ProcessBuilder builder = new ProcessBuilder(executable.toString());
        Map<String, String> environment = builder.environment();
        environment.clear();
        for (String name : INHERITED_VARIABLES) {
            String value = System.getenv(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
        environment.putIfAbsent("PATH", DEFAULT_PATH);
        environment.putAll(variables);
        long deadline = System.nanoTime() + timeout.toNanos();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ProvisionFailedException(description + " cannot start: " + e.getMessage(), e);
        }
        AtomicBoolean stdoutOverflowed = new AtomicBoolean();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StderrTail stderr = new StderrTail();
        Thread stdoutReader = daemon("stdout", () -> readBounded(process, stdout, stdoutOverflowed));
        Thread stderrReader = daemon("stderr", () -> stderr.drain(process.getErrorStream()));
        Thread stdinWriter = daemon("stdin", () -> write(process.getOutputStream(), stdin));
        try {
            boolean exited = process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS);
            if (!exited) {
                killWithChildren(process);
                stdinWriter.join(Duration.ofSeconds(1));
                stderrReader.join(Duration.ofSeconds(1));
                throw new ProvisionFailedException(description + " did not finish within " + human(timeout)
                        + " and was killed with its child processes; " + stderr.forMessage());
            }
            // The JDK usually ends a process's stdout when the process exits, but a read already under way may wait
            // for a child the command left in the background, which holds the pipe too: wait no longer than allowed.
            stdoutReader.join(untilOrGrace(deadline));
            stderrReader.join(untilOrGrace(deadline));
            if (stdoutOverflowed.get()) {
                throw new ProvisionFailedException(description + " printed more than " + STDOUT_LIMIT / 1024
                        + " KiB on stdout and was killed; " + stderr.forMessage());
            }
            if (stdoutReader.isAlive()) {
                throw new ProvisionFailedException(description + " exited, but its stdout stayed open past its"
                        + " timeout of " + human(timeout) + " (a process it left in the background holds it); "
                        + stderr.forMessage());
            }
            synchronized (stdout) {
                return new OperatorCommandResult(process.exitValue(), stdout.toByteArray(), stderr.forResult());
            }
        } catch (InterruptedException e) {
            killWithChildren(process);
            throw e;
        }
    }

    private static void readBounded(Process process, ByteArrayOutputStream stdout, AtomicBoolean overflowed) {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                synchronized (stdout) {
                    if (stdout.size() + read > STDOUT_LIMIT) {
                        overflowed.set(true);
                        killWithChildren(process);
                        return;
                    }
                    stdout.write(buffer, 0, read);
                }
            }
        } catch (IOException e) {
            // The stream closes when the process is killed; what was read so far is all there is.
        }
    }

    private static void write(OutputStream in, byte[] bytes) {
        try (in) {
            in.write(bytes);
        } catch (IOException e) {
            // The command exited without reading all of its stdin: its exit code tells how it went.
        }
    }

    /**
     * Kills the command and every process below it. The children are listed before the command dies, since an
     * orphan is no longer its descendant.
     */
    static void killWithChildren(Process process) {
        List<ProcessHandle> all = new ArrayList<>();
        process.toHandle().descendants().forEach(all::add);
        process.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
    }

    private static Thread daemon(String stream, Runnable work) {
        return Thread.ofPlatform().daemon().name("operator-command-" + stream).start(work);
    }

    /** Past the deadline, a second's grace lets a reader take in what the command wrote before it exited. */
    private static Duration untilOrGrace(long deadline) {
        return Duration.ofNanos(Math.max(remaining(deadline), TimeUnit.SECONDS.toNanos(1)));
    }

    private static long remaining(long deadline) {
        return deadline - System.nanoTime();
    }

    private static String human(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** The last {@link #STDERR_TAIL} bytes of stderr, read to its end so the command never blocks on it. */
    private static final class StderrTail {

        private final byte[] ring = new byte[STDERR_TAIL];
        private long total;

        void drain(InputStream in) {
            byte[] buffer = new byte[4096];
            try (in) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    append(buffer, read);
                }
            } catch (IOException e) {
                // Closed when the process is killed.
            }
        }

        private synchronized void append(byte[] buffer, int length) {
            for (int i = 0; i < length; i++) {
                ring[(int) (total++ % ring.length)] = buffer[i];
            }
        }

        /** The tail as text, starting at a line's beginning when it was cut. */
        synchronized String forResult() {
            int kept = (int) Math.min(total, ring.length);
            byte[] tail = new byte[kept];
            for (int i = 0; i < kept; i++) {
                tail[i] = ring[(int) ((total - kept + i) % ring.length)];
            }
            String text = new String(tail, StandardCharsets.UTF_8);
            if (total > ring.length) {
                int lineStart = text.indexOf('\n');
                text = lineStart >= 0 && lineStart < text.length() - 1 ? text.substring(lineStart + 1) : text;
            }
            return text;
        }

        String forMessage() {
            return OperatorCommandResult.describeStderr(forResult());
        }
    }
}
