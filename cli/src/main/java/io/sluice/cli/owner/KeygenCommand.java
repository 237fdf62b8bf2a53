package io.sluice.cli.owner;

import io.sluice.cli.CliFailure;
import io.sluice.cli.jobs.CurrentUser;
import io.sluice.cli.jobs.OwnerKeyOptions;
import io.sluice.schemas.signing.OwnerKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice keygen}: makes an owner's signing key and prints the line an operator registers it with. */
@Command(name = "keygen", sortOptions = false, mixinStandardHelpOptions = false,
        description = {"Make a signing key for your requests (submit, cancel) and print the line that registers it.",
            "The private key stays in FILE, readable by you alone; job-service accepts a request only if a key "
                    + "registered for the owner it names signed it."})
public final class KeygenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean helpRequested;

    @Option(names = "--file", paramLabel = "FILE",
            description = "Where to write the key (default: ~/.config/sluice/owner-key.pem); never overwritten.")
    private Path file = OwnerKeyOptions.USER_KEY;

    @Option(names = "--owner", paramLabel = "USER", description = "The owner the key speaks for (default: $USER).")
    private String owner = CurrentUser.name();

    @Override
    public Integer call() {
        OwnerKey key = OwnerKey.generate();
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            key.writeTo(file);
        } catch (FileAlreadyExistsException e) {
            throw new CliFailure(file + " exists already; keygen never overwrites a key (give another --file)");
        } catch (IOException e) {
            throw new CliFailure("cannot write the key to " + file + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("wrote a new signing key to " + file + " (readable by you alone: keep it so)");
        out.println("key id: " + key.keyId());
        out.println("to register it for owner " + owner + ", an operator adds its public key to job-service's "
                + "configuration (keep the old key listed until no client uses it):");
        out.println("  sluice.jobs.owners." + owner + ".public-keys: [" + key.publicKeyText() + "]");
        out.flush();
        return 0;
    }
}
