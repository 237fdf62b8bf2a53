package io.sluice.cli;

import io.sluice.testing.IsolatedScope;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** One {@code sluice} command line run to its end in this JVM against a test's scope: its exit code and output. */
public record CommandRun(int exitCode, String out, String err) {

    /** Runs {@code args} with the scope's broker and topic prefix after them. */
    public static CommandRun on(IsolatedScope scope, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", scope.bootstrapServers(), "--topic-prefix", scope.topicPrefix()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new CommandRun(exitCode, out.toString(), err.toString());
    }
}
