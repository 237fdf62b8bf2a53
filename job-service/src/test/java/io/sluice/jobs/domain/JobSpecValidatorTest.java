package io.sluice.jobs.domain;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aScript;
import static io.sluice.testing.Jobs.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.sluice.events.InputFile;
import io.sluice.events.JobNetwork;
import io.sluice.events.JobSpec;
import io.sluice.events.ProcessLimits;
import io.sluice.events.StepSpec;
import io.sluice.events.job.SpecProblem;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each kind of mistake in a job is named by its field path with what is wrong. */
class JobSpecValidatorTest {

    private final JobSpecValidator validator = new JobSpecValidator(new Catalogue(
            Map.of("linux", new Catalogue.Target("linux", null, List.of("default")),
                    "lab", new Catalogue.Target("lab", "lab-access", List.of()))), SpecLimits.defaults());
    private static final long SMALL_REQUEST = 1_000;
    private final List<DeclaredResourceType> declared = List.of(new DeclaredResourceType("database", ""),
            new DeclaredResourceType("lab-slot", "lab-access"));

    private List<String> fieldsOf(String jobId, JobSpec spec, String... privileges) {
        return validator.problemsOf(jobId, spec, SMALL_REQUEST, Set.of(privileges), declared).stream()
                .map(SpecProblem::getField).toList();
    }

    @Test
    void an_owner_that_could_name_another_directory_is_refused() {
        assertThat(validator.problemsOf("j", aJob().ownedBy("../alice").spec(), SMALL_REQUEST, Set.of(), declared))
                .anyMatch(problem -> problem.getField().equals("spec.owner")
                        && problem.getMessage().startsWith("must be letters, digits"));
        assertThat(fieldsOf("j", aJob().ownedBy("alice.ops").spec())).doesNotContain("spec.owner");
    }

    @Test
    void a_valid_job_has_no_problems_and_an_alias_is_a_known_target() {
        assertThat(fieldsOf("job-1", aJob().spec())).isEmpty();
        assertThat(fieldsOf("job-1", aJob().onTarget("default").withSteps(aScript("s", "echo hi")).spec())).isEmpty();
    }

    @Test
    void ids_names_targets_and_resources_are_checked() {
        assertThat(fieldsOf("../etc", aJob().onTarget("mars").withResources("database", "database", "tape").spec()))
                .containsExactly("jobId", "spec.target", "spec.resources[1].type", "spec.resources[2].type");
        assertThat(fieldsOf("j", aJob().onTarget("lab").withResources("lab-slot").spec()))
                .containsExactly("spec.target", "spec.resources[0].type");
        assertThat(fieldsOf("j", aJob().onTarget("lab").withResources("lab-slot").spec(), "lab-access")).isEmpty();
    }

    @Test
    void steps_are_checked_field_by_field() {
        StepSpec both = StepSpec.newBuilder(aStep("both", "/bin/true")).setScript("true").build();
        StepSpec badEnv = StepSpec.newBuilder(aStep("env", "/bin/true")).setEnv(Map.of("1X", "y"))
                .setWorkdir("relative").build();
        StepSpec badLimits = StepSpec.newBuilder(aStep("limits", "/bin/true")).setLimits(ProcessLimits.newBuilder()
                .setMemoryBytes(1024L).setPids(0).setOpenFiles(0).setCpuShares(1).build())
                .setStopGraceMillis(-1).setCapabilities(List.of("CAP_NET_ADMIN")).build();
        assertThat(fieldsOf("j", aJob().withSteps(both, aStep("both", "/bin/true"), badEnv, badLimits).spec()))
                .containsExactly("spec.steps[0]", "spec.steps[1].name", "spec.steps[2].env.1X",
                        "spec.steps[2].workdir", "spec.steps[3].limits.memoryBytes", "spec.steps[3].limits.pids",
                        "spec.steps[3].limits.openFiles", "spec.steps[3].limits.cpuShares",
                        "spec.steps[3].stopGraceMillis", "spec.steps[3].capabilities[0]");
        assertThat(fieldsOf("j", aJob().withSteps().spec())).containsExactly("spec.steps");
    }

    @Test
    void inputs_and_timeouts_are_checked() {
        InputFile bad = InputFile.newBuilder().setSha256("abc").setFetchUri("no scheme").setPath("../x")
                .setExecutable(false).setSizeBytes(null).build();
        JobSpec spec = JobSpec.newBuilder(aJob().withRunTimeout(0).spec()).setInputs(List.of(bad))
                .setRetriesOnNodeLoss(-1).build();
        assertThat(fieldsOf("j", spec)).containsExactly("spec.inputs[0].sha256", "spec.inputs[0].fetchUri",
                "spec.inputs[0].path", "spec.runTimeoutMillis", "spec.retriesOnNodeLoss");
    }

    @Test
    void a_resource_type_no_well_declares_is_named_with_the_declared_ones() {
        List<SpecProblem> problems = validator.problemsOf("j", aJob().withResources("tape").spec(), SMALL_REQUEST,
                Set.of(), declared);
        assertThat(problems).extracting(SpecProblem::getField, SpecProblem::getMessage).containsExactly(
                tuple("spec.resources[0].type",
                        "no resource well declares type 'tape'; declared types: database, lab-slot"));
        assertThat(validator.problemsOf("j", aJob().withResources("tape").spec(), SMALL_REQUEST, Set.of(), List.of()))
                .extracting(SpecProblem::getMessage)
                .containsExactly("no resource well declares type 'tape'; none are declared");
    }

    @Test
    void a_declared_resource_type_requires_its_privilege_and_an_empty_privilege_requires_none() {
        assertThat(validator.problemsOf("j", aJob().withResources("lab-slot", "database").spec(), SMALL_REQUEST,
                Set.of(), declared)).extracting(SpecProblem::getField, SpecProblem::getMessage).containsExactly(
                tuple("spec.resources[0].type",
                        "resource type 'lab-slot' requires privilege 'lab-access', which the owner does not hold"));
    }

    @Test
    void the_summary_lists_every_problem_with_its_path() {
        List<SpecProblem> problems = validator.problemsOf("j", aJob().onTarget("mars").spec(), SMALL_REQUEST,
                Set.of(), declared);
        assertThat(JobSpecValidator.summary(problems))
                .isEqualTo("invalid job: spec.target: unknown target 'mars'; known targets: lab, linux");
    }

    @Test
    void the_host_network_requires_the_privilege_network_host() {
        JobSpec host = JobSpec.newBuilder(aJob().spec()).setNetwork(JobNetwork.HOST).build();
        assertThat(fieldsOf("j", host)).containsExactly("spec.network");
        assertThat(fieldsOf("j", host, "network:host")).isEmpty();
        assertThat(fieldsOf("j", aJob().spec())).isEmpty();
    }

    @Test
    void a_job_with_many_problems_lists_the_first_fifty_and_counts_the_rest() {
        List<StepSpec> badNames = IntStream.range(0, 200)
                .mapToObj(i -> aStep("bad name " + i, "/bin/true")).toList();
        List<SpecProblem> problems = validator.problemsOf("j", aJob().withSteps(badNames.toArray(StepSpec[]::new))
                .spec(), SMALL_REQUEST, Set.of(), declared);
        assertThat(problems).hasSize(JobSpecValidator.MAX_PROBLEMS + 1);
        assertThat(problems.getLast()).extracting(SpecProblem::getField, SpecProblem::getMessage)
                .containsExactly("spec", "and 150 more problems not listed");
    }

    @Test
    void limits_below_one_or_past_what_the_node_and_the_database_hold_are_refused_naming_them() {
        SpecLimits defaults = SpecLimits.defaults();
        assertThatThrownBy(() -> new SpecLimits(defaults.requestBytes(), 0, defaults.argvPerStep(),
                defaults.envPerStep(), defaults.valueBytes(), defaults.scriptBytes(), defaults.execBytesPerStep(),
                defaults.envNameLength(), defaults.inputs(), defaults.inputPathLength(), defaults.inputUriLength(),
                defaults.labels(), defaults.labelKeyLength(), defaults.labelValueLength(), defaults.resources(),
                defaults.jobNameLength(), defaults.stepNameLength(), defaults.ownerLength(), defaults.targetLength(),
                defaults.resourceTypeLength(), defaults.persistentStoreLength()))
                .hasMessage("limit steps must be at least 1, got 0");
        assertThatThrownBy(() -> new SpecLimits(defaults.requestBytes(), defaults.steps(), defaults.argvPerStep(),
                defaults.envPerStep(), defaults.valueBytes(), defaults.scriptBytes(), defaults.execBytesPerStep(),
                defaults.envNameLength(), defaults.inputs(), defaults.inputPathLength(), defaults.inputUriLength(),
                defaults.labels(), defaults.labelKeyLength(), defaults.labelValueLength(), defaults.resources(),
                defaults.jobNameLength(), 300, defaults.ownerLength(), defaults.targetLength(),
                defaults.resourceTypeLength(), defaults.persistentStoreLength()))
                .hasMessage("limit stepNameLength can be at most 200, got 300");
    }
}
