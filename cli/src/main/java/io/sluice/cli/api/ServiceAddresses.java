package io.sluice.cli.api;

import java.net.URI;
import java.net.URISyntaxException;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Turns an address option, its environment variable or its default into a {@link ServiceApi}, checked. */
final class ServiceAddresses {

    private ServiceAddresses() {
    }

    static ServiceApi of(CommandSpec command, String service, String given, String option, String environmentVariable,
                         String defaultAddress) {
        String fromEnvironment = System.getenv(environmentVariable);
        String address;
        String origin;
        if (given != null) {
            address = given;
            origin = option;
        } else if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            address = fromEnvironment;
            origin = "$" + environmentVariable;
        } else {
            address = defaultAddress;
            origin = "the default (set " + option + " or $" + environmentVariable + ")";
        }
        URI uri;
        try {
            uri = new URI(address.strip());
        } catch (URISyntaxException e) {
            throw new ParameterException(command.commandLine(), option + " '" + address + "' (from " + origin
                    + ") is no URL: " + e.getReason());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new ParameterException(command.commandLine(), option + " '" + address + "' (from " + origin
                    + ") is no http:// or https:// URL with a host, e.g. " + defaultAddress);
        }
        return new ServiceApi(service, uri, origin);
    }
}
