package io.sluice.cli.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.CliFailure;
import io.sluice.cli.OutputOption;
import io.sluice.cli.RepositoryLocation;
import io.sluice.cli.jobs.JobExitCodes;
import io.sluice.cli.jobs.KafkaConnection;
import io.sluice.cli.jobs.KafkaOptions;
import io.sluice.jobs.edge.RebuildProjection;
import io.sluice.schemas.Topic;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.kafka.common.KafkaException;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice admin rebuild-projections}: rebuilds job-service's projection from {@code sluice.job.events} into a
 * scratch schema and compares it with the live one, printing every difference.
 */
@Command(
        name = "rebuild-projections",
        description = {
            "Rebuilds job-service's projection (what GET /jobs answers from: job_view, job_step, job_history, "
                    + "job_resource_view) from sluice.job.events, offset 0 to the current end, into a scratch schema "
                    + "of the same database, and compares it with the live schema row by row and column by column: "
                    + "each difference names the job, the table and column, the live and the rebuilt value. The "
                    + "live schema is only read. Run it on a quiet system: a job that moves meanwhile may differ.",
            "The database password is read from a file, never from the command line, and never printed.",
            "Exit codes: 0 equal, 1 different, 2 usage error, 3 no answer from the broker or the database, 4 the "
                    + "broker refused."
        },
        sortOptions = false)
public final class RebuildProjectionsCommand implements Callable<Integer> {

    static final String DEV_PASSWORD_FILE = ".sluice/dev/credentials/postgres";
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafkaOptions;

    @Mixin
    private OutputOption output;

    @Option(names = "--jdbc-url", paramLabel = "URL", defaultValue = "jdbc:postgresql://localhost:5433/sluice",
            description = "job-service's database (default: sluice dev's, ${DEFAULT-VALUE}).")
    private String jdbcUrl;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "postgres",
            description = "Who logs in (default: ${DEFAULT-VALUE}, sluice dev's superuser); it needs to read the "
                    + "live schema and create the scratch one.")
    private String dbUser;

    @Option(names = "--db-password-file", paramLabel = "FILE",
            description = "A file holding the user's password (default: " + DEV_PASSWORD_FILE + ", in the current "
                    + "directory or this cli's checkout, where sluice dev keeps it).")
    private Path passwordFile;

    @Option(names = "--schema", paramLabel = "SCHEMA", defaultValue = "job_service",
            description = "job-service's live schema (default: ${DEFAULT-VALUE}).")
    private String liveSchema;

    @Option(names = "--scratch-schema", paramLabel = "SCHEMA", defaultValue = "job_service_rebuilt",
            description = "Where to rebuild (default: ${DEFAULT-VALUE}); dropped and made anew, and dropped again "
                    + "afterwards unless --keep-scratch.")
    private String scratchSchema;

    @Option(names = "--keep-scratch", description = "Leave the rebuilt schema in place for a look with psql.")
    private boolean keepScratch;

    @Option(names = "--max-differences", paramLabel = "N", defaultValue = "100",
            description = "Print at most N differences (default: ${DEFAULT-VALUE}); all are counted.")
    private int maxDifferences;

    @Override
    public Integer call() throws Exception {
        checkSchemas();
        PGSimpleDataSource database = new PGSimpleDataSource();
        try {
            database.setUrl(jdbcUrl);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--jdbc-url '" + jdbcUrl + "': " + e.getMessage());
        }
        database.setUser(dbUser);
        database.setPassword(password());
        PGSimpleDataSource scratch = new PGSimpleDataSource();
        scratch.setUrl(jdbcUrl);
        scratch.setUser(dbUser);
        scratch.setPassword(database.getPassword());
        scratch.setCurrentSchema(scratchSchema);
        PrintWriter out = spec.commandLine().getOut();
        dropScratch(database);
        try (KafkaConnection kafka = kafkaOptions.connect()) {
            RebuildProjection.Result result;
            kafka.partitionCount(Topic.JOB_EVENTS);  // says so when the broker is unreachable or has no such topic
            try {
                result = RebuildProjection.rebuild(kafka.consumerProperties(), kafka.naming(), scratch,
                        scratchSchema);
            } catch (KafkaException e) {
                throw kafka.failures().of("could not read " + kafka.nameOf(Topic.JOB_EVENTS), e,
                        "read", kafka.nameOf(Topic.JOB_EVENTS));
            }
            result.skipped().forEach(place -> spec.commandLine().getErr().println(
                    "sluice admin rebuild-projections: warning: record " + place + " cannot be decoded: left out"));
            List<ProjectionDifferences.Difference> differences;
            try (Connection connection = database.getConnection()) {
                differences = ProjectionDifferences.between(connection, liveSchema, scratchSchema);
            } catch (SQLException e) {
                throw new CliFailure("cannot compare the projections in " + jdbcUrl + ": " + e.getMessage(), null,
                        JobExitCodes.NO_ANSWER);
            }
            print(out, result, differences);
            return differences.isEmpty() ? JobExitCodes.SUCCEEDED : JobExitCodes.JOB_DID_NOT_SUCCEED;
        } finally {
            if (!keepScratch) {
                dropScratch(database);
            }
        }
    }

    private void print(PrintWriter out, RebuildProjection.Result result,
                       List<ProjectionDifferences.Difference> differences) throws Exception {
        List<ProjectionDifferences.Difference> shown = differences.subList(0, Math.min(maxDifferences,
                differences.size()));
        if (output.json()) {
            for (ProjectionDifferences.Difference difference : shown) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("jobId", difference.jobId());
                line.put("table", difference.table());
                line.put("key", difference.key());
                line.put("column", difference.column());
                line.put("live", difference.live());
                line.put("rebuilt", difference.rebuilt());
                out.println(JSON.writeValueAsString(line));
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("eventsRead", result.read());
            summary.put("eventsApplied", result.applied());
            summary.put("undecodable", result.undecodable());
            summary.put("differences", differences.size());
            summary.put("jobsDiffering", differences.stream().map(ProjectionDifferences.Difference::jobId)
                    .distinct().count());
            out.println(JSON.writeValueAsString(Map.of("summary", summary)));
        } else {
            out.println("rebuilt job-service's projection from " + result.read() + " events of sluice.job.events ("
                    + result.applied() + " applied, " + (result.read() - result.applied() - result.undecodable())
                    + " repeated, " + result.undecodable() + " undecodable) into schema " + scratchSchema);
            shown.forEach(difference -> out.println(difference.line()));
            if (shown.size() < differences.size()) {
                out.println("... and " + (differences.size() - shown.size()) + " more");
            }
            long jobs = differences.stream().map(ProjectionDifferences.Difference::jobId).distinct().count();
            out.println(differences.isEmpty() ? "equal: the rebuilt projection is the live one (schema "
                    + liveSchema + ", tables " + String.join(", ", ProjectionDifferences.TABLES) + ")"
                    : differences.size() + " difference" + (differences.size() == 1 ? "" : "s") + " in " + jobs
                            + " job" + (jobs == 1 ? "" : "s") + " between the live projection (schema " + liveSchema
                            + ") and the rebuilt one");
        }
        out.flush();
    }

    private void checkSchemas() {
        for (var option : List.of(List.of("--schema", liveSchema), List.of("--scratch-schema", scratchSchema))) {
            if (!SCHEMA_NAME.matcher(option.get(1)).matches()) {
                throw new ParameterException(spec.commandLine(), option.get(0) + ": '" + option.get(1) + "' is no "
                        + "plain schema name (lower-case letters, digits and _, not starting with a digit)");
            }
        }
        if (scratchSchema.equals(liveSchema) || scratchSchema.equals("public")) {
            throw new ParameterException(spec.commandLine(), "--scratch-schema: '" + scratchSchema + "' is dropped "
                    + "and made anew: it must be a schema of its own, not the live one or public");
        }
    }

    private String password() {
        List<Path> candidates = new ArrayList<>();
        if (passwordFile != null) {
            candidates.add(passwordFile);
        } else {
            candidates.add(Path.of(DEV_PASSWORD_FILE).toAbsolutePath());
            candidates.add(RepositoryLocation.ofThisCli().resolve(DEV_PASSWORD_FILE));
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                try {
                    return Files.readString(candidate, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new ParameterException(spec.commandLine(), "--db-password-file: cannot read " + candidate
                            + ": " + e.getMessage());
                }
            }
        }
        throw new ParameterException(spec.commandLine(), "--db-password-file: no password file at "
                + candidates.stream().map(Path::toString).toList() + "; give the file holding the database user's "
                + "password (sluice dev keeps its own in " + DEV_PASSWORD_FILE + ")");
    }

    private void dropScratch(PGSimpleDataSource database) {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + scratchSchema + " CASCADE");
        } catch (SQLException e) {
            throw new CliFailure("cannot use the database at " + jdbcUrl + " as " + dbUser + ": " + e.getMessage(),
                    null, JobExitCodes.NO_ANSWER);
        }
    }
}
