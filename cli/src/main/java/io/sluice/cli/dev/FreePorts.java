package io.sluice.cli.dev;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import io.sluice.cli.CliFailure;

/** Checks that a port is free before a server tries it, to fail early with the option that chose the port. */
final class FreePorts {

    private FreePorts() {
    }

    static void requireFree(int port, String user, String option) {
        // Binding the wildcard address also fails when another server listens on localhost only.
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(port));
        } catch (IOException inUse) {
            throw new CliFailure("port " + port + " for " + user + " is in use (is another sluice dev running?); "
                    + "choose another with " + option);
        }
    }
}
