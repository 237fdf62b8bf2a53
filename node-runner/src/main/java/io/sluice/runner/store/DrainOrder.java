package io.sluice.runner.store;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * The operator's last drain order ({@code DrainNode}: sluice admin drain / undrain), kept in the node's state
 * directory and forced to disk before the command counts as applied, so that a runner restarted after a crash goes
 * on draining. No file means no order was ever given.
 */
public final class DrainOrder {

    private static final String DRAINING = "draining";
    private static final String REASON = "reason";

    private final Path file;
    private volatile boolean draining;
    private volatile String reason;

    private DrainOrder(Path file, boolean draining, String reason) {
        this.file = file;
        this.draining = draining;
        this.reason = reason;
    }

    /** The order kept in {@code file}, or none when the file does not exist. */
    public static DrainOrder open(Path file) {
        if (!Files.exists(file)) {
            return new DrainOrder(file, false, null);
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the node's drain order " + file, e);
        }
        String value = properties.getProperty(DRAINING);
        if (!"true".equals(value) && !"false".equals(value)) {
            throw new IllegalStateException("the node's drain order " + file + " says " + DRAINING + "=" + value
                    + ", not true or false: fix or remove the file");
        }
        return new DrainOrder(file, Boolean.parseBoolean(value), properties.getProperty(REASON));
    }

    /** True when the last order was to drain. */
    public boolean draining() {
        return draining;
    }

    /** Why the last order was given; null when it said nothing or there was none. */
    public String reason() {
        return reason;
    }

    /**
     * Keeps {@code draining} as the node's order: written to a temporary file, forced, then moved over the old one,
     * so a crash leaves the old order or the new one, never a torn file. Giving the same order again changes nothing.
     */
    public synchronized void set(boolean draining, String reason) throws IOException {
        Properties properties = new Properties();
        properties.setProperty(DRAINING, Boolean.toString(draining));
        if (reason != null) {
            properties.setProperty(REASON, reason);
        }
        StringWriter text = new StringWriter();
        properties.store(text, "the last DrainNode order this node applied (sluice admin drain / undrain)");
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
        this.draining = draining;
        this.reason = reason;
    }
}
