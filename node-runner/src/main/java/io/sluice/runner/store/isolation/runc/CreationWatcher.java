package io.sluice.runner.store.isolation.runc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells when files appear in a directory, with inotify: waiting for runc's pid file by polling costs CPU that runc
 * itself needs on a small host, and adds latency.
 */
final class CreationWatcher implements AutoCloseable {

    /** A registration; closing it stops the notifications. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final WatchService service;
    private final Map<WatchKey, Runnable> listeners = new ConcurrentHashMap<>();

    CreationWatcher() {
        try {
            service = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch files", e);
        }
        Thread thread = new Thread(this::dispatch, "sluice-isolation-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Calls {@code onCreate} (on the watcher's thread) whenever a file is created in, or moved into, {@code dir}. */
    Registration watch(Path dir, Runnable onCreate) throws IOException {
        WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE);
        listeners.put(key, onCreate);
        return () -> {
            listeners.remove(key);
            key.cancel();
        };
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private void dispatch() {
        try {
            while (true) {
                WatchKey key = service.take();
                key.pollEvents();
                Runnable listener = listeners.get(key);
                if (listener != null) {
                    listener.run();
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }
}
