package io.sluice.cli.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/** Finds ports nobody listens on now, so that a test's servers do not collide with a developer's {@code sluice dev}. */
final class FreePortsForTests {

    private FreePortsForTests() {
    }

    static int any() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first of {@code count} consecutive free ports, tried at random places below the ephemeral range. */
    static int consecutive(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (IntStream.range(first, first + count).allMatch(FreePortsForTests::isFree)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports between 20000 and 30000");
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }
}
