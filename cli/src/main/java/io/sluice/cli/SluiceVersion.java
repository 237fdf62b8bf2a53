package io.sluice.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version Maven wrote into the cli jar's manifest, or "development build" when run from classes. */
final class SluiceVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Sluice.class.getPackage().getImplementationVersion();
        return new String[] {"sluice " + (version == null ? "development build" : version)};
    }
}
