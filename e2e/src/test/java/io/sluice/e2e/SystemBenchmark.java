package io.sluice.e2e;

import static io.sluice.testing.Jobs.aJob;
import static io.sluice.testing.Jobs.aStep;

import io.sluice.events.EventMetadata;
import io.sluice.events.JobSpec;
import io.sluice.events.job.JobCleanedUp;
import io.sluice.events.job.JobFinished;
import io.sluice.events.node.DestroyWorker;
import io.sluice.events.node.LaunchProcess;
import io.sluice.events.node.PrepareWorker;
import io.sluice.events.node.ProcessExited;
import io.sluice.events.node.ProcessStarted;
import io.sluice.events.node.WorkerDestroyed;
import io.sluice.events.node.WorkerPrepared;
import io.sluice.events.worker.WorkerAssigned;
import io.sluice.events.worker.WorkerDemanded;
import io.sluice.events.worker.WorkerReleaseRequested;
import io.sluice.events.worker.WorkerReleased;
import io.sluice.schemas.Envelopes;
import io.sluice.schemas.EventCodec;
import io.sluice.schemas.Topic;
import io.sluice.schemas.TopicNaming;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;

/**
 * The end-to-end benchmark of issue 4: submit → ProcessStarted and submit → JobCleanedUp latency of a trivial job
 * ({@code /bin/true}) at idle and under a steady 20 jobs/s, the sustained completed-jobs/s under more load than the
 * system completes, and in the same run the baselines: a bare {@code runc run} loop on the same bundle and a Kafka
 * produce → consume round trip. It prints its figures; it does not pass or fail. Arguments: [idle jobs] [load rounds'
 * rate per s] [seconds per load round] [node slots] [warm-up jobs, submitted at that rate] [load rounds].
 */
public final class SystemBenchmark {

    /**
     * C2 compiles a method after about 5 000 calls (the JVM's Tier4InvocationThreshold, raised while its queue is long),
     * so a path taken once per job is compiled only after as many jobs or more: after 5 000 on a slow machine, the C2
     * threads still took 12 ms of CPU per job in the load phase, after 15 000 2 ms (docs/benchmarks.md, "The JIT's
     * tail").
     */
    private static final int WARM_UP_JOBS = 15_000;
    /** Above this much C2 time per job in the load phase, the run says that the JVMs were still warming up. */
    private static final double JIT_WARNING_MS_PER_JOB = 5;
    /** Load phases, each between two loops: one moved by ten points from run to run, their median by less. */
    private static final int ROUNDS = 3;
    /** The load rounds' offered rate: more than this kind of machine completes, so that a queue builds. */
    private static final int LOAD_RATE = 60;
    /** The steady rate for latencies under load: below what a fast spell of this kind of machine completes. */
    private static final int STEADY_RATE = 20;
    private static final int STEADY_SECONDS = 30;

    /** The events on the way to a job's start, idle and under load. */
    private static final Hop DEMANDED =
            new Hop("job-service accepted, WorkerDemanded", Topic.WORKER_DEMANDS, WorkerDemanded.class);
    private static final Hop PLACED =
            new Hop("worker-factory placed, PrepareWorker", Topic.NODE_COMMANDS, PrepareWorker.class);
    private static final Hop PREPARED =
            new Hop("node-runner prepared, WorkerPrepared", Topic.NODE_EVENTS, WorkerPrepared.class);
    private static final Hop STARTED =
            new Hop("node-runner started it, ProcessStarted", Topic.NODE_EVENTS, ProcessStarted.class);

    /** The loop baseline waits for the cores to be this idle, at most this long. */
    private static final double QUIET_BUSY_PERCENT = 5;
    private static final Duration QUIET_WAIT = Duration.ofSeconds(120);
    /** Runs of the loop baseline: about five seconds of runc, long enough that a passing hiccup does not decide it. */
    private static final int LOOP_RUNS = 200;
    private static final int SIDE_BY_SIDE_RUNS = 50;

    private final SluiceSystem sluice;
    private final Map<String, Long> submittedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> startedSeenAt = new ConcurrentHashMap<>();
    private final Map<String, Long> cleanedSeenAt = new ConcurrentHashMap<>();
    /** The topics as read back after the load, each read once for all the breakdowns. */
    private final Map<Topic, List<SpecificRecordBase>> readBack = new EnumMap<>(Topic.class);
    private volatile boolean watching = true;

    private SystemBenchmark(SluiceSystem sluice) {
        this.sluice = sluice;
    }

    public static void main(String[] args) throws Exception {
        int idleJobs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : LOAD_RATE;
        int loadSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        // A slot is held from placement to destruction, most of it spent in hops between services, not on a core.
        int slots = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int warmUpJobs = args.length > 4 ? Integer.parseInt(args[4]) : WARM_UP_JOBS;
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : ROUNDS;
        if (rounds < 1) {
            throw new IllegalArgumentException("load rounds (the 6th argument) must be 1 or more, not " + rounds);
        }
        try (SluiceSystem sluice = new SluiceSystem("bench", slots, Map.of(), ServiceJvms.PRODUCTION)) {
            SystemBenchmark bench = new SystemBenchmark(sluice);
            Thread watcher = Thread.ofPlatform().daemon().start(bench::watch);
            System.out.printf("Sluice end-to-end benchmark: %d slot(s) on one node, runc, %d cores%n", slots,
                    Runtime.getRuntime().availableProcessors());
            bench.warmUp(rate, warmUpJobs);
            List<String> idle = bench.idle(idleJobs);
            List<String> steady = bench.steady();
            // The machine's speed changes by spells of minutes: each load phase is compared with the loops measured
            // right before and right after it (the loop after it also on the state the node's churn left: the
            // filesystem's inode tables, the cgroups), and the run's figure is the median of several such rounds.
            LoopRate loopBefore = bench.runcBaseline(0, true);
            List<LoadRound> results = new ArrayList<>();
            List<String> loaded = List.of();
            for (int round = 1; round <= rounds; round++) {
                Map<String, Double> compiledBefore = JitTime.c2Millis(bench.jvms());
                LoadPhase load = bench.underLoad(round, rate, loadSeconds);
                loaded = load.ids();
                bench.printCompilation(compiledBefore, loaded.size());
                LoopRate loopAfter = bench.runcBaseline(round, false);
                results.add(new LoadRound(round, bench.completedPerSecond(loaded), loopBefore.rate(),
                        loopAfter.rate(), Math.max(load.stealPercent(), Math.max(loopBefore.stealPercent(),
                        loopAfter.stealPercent()))));
                loopBefore = loopAfter;
            }
            printThroughput(results);
            // Reading the topics back is the harness's heaviest work: after the load, not between warm-up and load.
            bench.printHops(idle);
            bench.printCycle("at the steady rate", steady);
            bench.printCycle("under load, round " + rounds, loaded);
            bench.kafkaBaseline(200);
            bench.watching = false;
            watcher.join(5_000);
        } catch (Exception | Error e) {
            // The broker's threads would keep a failed benchmark's JVM, and its load, alive: exit.
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static JobSpec trivialJob() {
        return aJob().withSteps(aStep("true", "/bin/true")).spec();
    }

    /**
     * Runs jobs at a steady rate until the services' hot paths are compiled, as they are in a service that has been
     * running a while: a few jobs one at a time would leave them interpreted, and the idle figures would measure the
     * JIT compiler's warm-up rather than the system. It runs at the load phase's rate: a lower one left the paths of
     * a full queue to be compiled during the load phase, by the broker's JVM (this one) above all.
     */
    private void warmUp(int rate, int jobs) throws Exception {
        List<String> ids = runPaced("warm-", rate, jobs);
        System.out.printf("warm-up: %d jobs at %d/s, all cleaned up%n", ids.size(), rate);
    }

    private List<String> idle(int jobs) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            ids.add(runOne("idle-" + i));
        }
        print("idle, one job at a time (" + jobs + " jobs)", ids);
        return ids;
    }

    /** Where the time to start goes: when each event on the way was stamped, after the submission (medians). */
    private void printHops(List<String> ids) {
        printHops("idle: where the time to start goes", ids, List.of(DEMANDED, PLACED,
                new Hop("worker-factory launches step 0, LaunchProcess", Topic.NODE_COMMANDS, LaunchProcess.class),
                PREPARED, STARTED,
                // No longer on the way to the start: step 0 was launched with the placement.
                new Hop("(worker-factory assigned, WorkerAssigned)", Topic.WORKER_EVENTS, WorkerAssigned.class)));
        List<Long> pidKnown = new ArrayList<>(afterSubmit(ids, Topic.NODE_EVENTS, ProcessStarted.class,
                (metadata, started) -> started.getStartedAt()).values());
        System.out.printf("    %-50s %6d%n", "(the process's startedAt, as the node saw it)",
                sorted(pidKnown).get(pidKnown.size() / 2));
    }

    /**
     * Where a job's time goes while others run, from submission to clean-up: a wait for a free slot shows before
     * PrepareWorker, a start slowed by the others' starts before ProcessStarted. A slot is held from PrepareWorker to
     * the factory's handling of WorkerDestroyed (WorkerReleased), so the gaps between those bound the completed jobs/s.
     */
    private void printCycle(String phase, List<String> ids) {
        printHops(phase + ": where a job's time goes", ids, List.of(DEMANDED, PLACED, PREPARED, STARTED,
                new Hop("node-runner saw it exit, ProcessExited", Topic.NODE_EVENTS, ProcessExited.class),
                new Hop("job-service finished it, JobFinished", Topic.JOB_EVENTS, JobFinished.class),
                new Hop("job-service releases, WorkerReleaseRequested", Topic.WORKER_DEMANDS,
                        WorkerReleaseRequested.class),
                new Hop("worker-factory destroys, DestroyWorker", Topic.NODE_COMMANDS, DestroyWorker.class),
                new Hop("node-runner destroyed it, WorkerDestroyed", Topic.NODE_EVENTS, WorkerDestroyed.class),
                new Hop("worker-factory freed the slot, WorkerReleased", Topic.WORKER_EVENTS, WorkerReleased.class),
                new Hop("job-service cleaned up, JobCleanedUp", Topic.JOB_EVENTS, JobCleanedUp.class)));
    }

    /** For each hop, the median ms after submission at which its event was stamped, and the median gap before it. */
    private void printHops(String title, List<String> ids, List<Hop> hops) {
        System.out.println(title + " (median ms after submit at which each event was stamped; median gap from the"
                + " previous one):");
        Map<String, Long> previous = null;
        for (Hop hop : hops) {
            Map<String, Long> stamped = afterSubmit(ids, hop.topic(), hop.type(),
                    (metadata, payload) -> metadata.getOccurredAt());
            List<Long> gaps = new ArrayList<>();
            if (previous != null) {
                for (Map.Entry<String, Long> job : stamped.entrySet()) {
                    Long before = previous.get(job.getKey());
                    if (before != null) {
                        gaps.add(job.getValue() - before);
                    }
                }
            }
            List<Long> after = sorted(new ArrayList<>(stamped.values()));
            System.out.printf("    %-50s %6d%s%n", hop.name(), after.get(after.size() / 2),
                    gaps.isEmpty() ? "" : String.format("   (+%d)", sorted(gaps).get(gaps.size() / 2)));
            previous = stamped;
        }
    }

    /**
     * Per job, the ms after its submission of the instant {@code when} takes from the first event of {@code type} on
     * {@code topic} (its stamp, say).
     */
    private <T> Map<String, Long> afterSubmit(List<String> ids, Topic topic, Class<T> type,
                                              BiFunction<EventMetadata, T, Instant> when) {
        Map<String, Long> firstStamp = new HashMap<>();
        for (SpecificRecordBase envelope : readBack.computeIfAbsent(topic, sluice.bus::envelopes)) {
            Object payload = Envelopes.payloadOf(envelope);
            if (type.isInstance(payload)) {
                EventMetadata metadata = Envelopes.metadataOf(envelope);
                firstStamp.putIfAbsent(metadata.getCorrelationId(),
                        when.apply(metadata, type.cast(payload)).toEpochMilli());
            }
        }
        Map<String, Long> after = new HashMap<>();
        for (String id : ids) {
            Long stamp = firstStamp.get(id);
            if (stamp != null) {
                after.put(id, stamp - submittedAt.get(id));
            }
        }
        return after;
    }

    /** One event on the way from submission to a started process. */
    private record Hop(String name, Topic topic, Class<?> type) {
    }

    /** How long a job takes to start and to be cleaned up while others run beside it, at the steady rate. */
    private List<String> steady() throws Exception {
        return paced("steady-", "steady", STEADY_RATE, STEADY_SECONDS).ids();
    }

    private String runOne(String jobId) throws Exception {
        submit(jobId);
        awaitCleaned(List.of(jobId), Duration.ofSeconds(60));
        return jobId;
    }

    private LoadPhase underLoad(int round, int rate, int seconds) throws Exception {
        return paced("load" + round + "-", "round " + round, rate, seconds);
    }

    /**
     * Jobs submitted at {@code rate} a second for {@code seconds}: their latencies, the jobs/s completed, the CPU and
     * the broker's and database's work per job, and how busy the cores were.
     */
    private LoadPhase paced(String prefix, String title, int rate, int seconds) throws Exception {
        WorkCounts workBefore = WorkCounts.now(sluice.scope);
        CpuUse before = CpuUse.now(jvms());
        List<String> ids = runPaced(prefix, rate, rate * seconds);
        CpuUse after = CpuUse.now(jvms());
        WorkCounts workAfter = WorkCounts.now(sluice.scope);
        print(title + ", " + rate + " jobs/s offered for " + seconds + " s (" + ids.size() + " jobs)", ids);
        System.out.printf("  sustained: %.1f completed jobs/s (offered %d/s)%n", completedPerSecond(ids), rate);
        System.out.println("  " + after.perItemSince(before, ids.size(), "job"));
        System.out.println("  " + workAfter.perJobSince(workBefore, ids.size()));
        return new LoadPhase(ids, printCores("the phase", before.cores(), after.cores()));
    }

    /** The jobs of a paced phase, and how much of the cores' time the host took meanwhile (steal). */
    private record LoadPhase(List<String> ids, double stealPercent) {
    }

    /** Each round against the loops either side of it, then the median round: the run's figure. */
    private static void printThroughput(List<LoadRound> rounds) {
        rounds.forEach(round -> System.out.println("throughput, " + round.describe()));
        LoadRound median = LoadRound.median(rounds);
        long stolen = rounds.stream().filter(LoadRound::stolen).count();
        System.out.printf("throughput: %.0f %% of the runc loop at the median of %d rounds (%s; %.1f completed "
                        + "jobs/s in the median round)%s%n", 100 * median.ratio(), rounds.size(),
                String.join(", ", rounds.stream().map(round -> String.format("%.0f %%", 100 * round.ratio()))
                        .toList()), median.completedPerSecond(), stolen == 0 ? "" : String.format(
                        "; in %d of them the host took more than %.0f %% of the cores: those measure the host, and "
                        + "the median leaves them out unless all are such", stolen, LoadRound.STEAL_WARNING_PERCENT));
    }

    /**
     * How busy the cores were from {@code before} to {@code now}, and how much of their time the host gave to other
     * guests: a virtual machine slows down by spells, and a loop and a load phase compare only if the host took about
     * as much from both. Returns the steal.
     */
    private static double printCores(String during, CoreTicks before, CoreTicks now) {
        double steal = now.stealPercentSince(before);
        System.out.printf("  the cores during %s: %.0f %% busy, %.1f %% taken by the host (steal)%n", during,
                now.busyPercentSince(before), steal);
        return steal;
    }

    /** The JVMs whose compilers compete with the work measured: this one (broker, database, watcher), the services. */
    private Map<String, Long> jvms() {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("broker and benchmark", ProcessHandle.current().pid());
        for (ServiceJvms.Service service : List.of(sluice.jobService, sluice.workerFactory, sluice.nodeRunner)) {
            pids.put(service.module(), service.jvm().pid());
        }
        return pids;
    }

    /** The C2 compilers' CPU time per job since {@code before}: more than a few ms means the JIT was still warming up. */
    private void printCompilation(Map<String, Double> before, int jobs) {
        Map<String, Double> after = JitTime.c2Millis(jvms());
        StringBuilder perJvm = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Double> jvm : after.entrySet()) {
            double perJob = (jvm.getValue() - before.getOrDefault(jvm.getKey(), 0.0)) / jobs;
            total += perJob;
            perJvm.append(String.format("%s%s %.1f", perJvm.isEmpty() ? "" : ", ", jvm.getKey(), perJob));
        }
        System.out.printf("  the JVMs' C2 compilers: %.1f ms of CPU per job during the load phase (%s)%n", total,
                perJvm);
        if (total > JIT_WARNING_MS_PER_JOB) {
            System.out.println("  the JVMs were still compiling: more warm-up jobs (the 5th argument) measure a system "
                    + "that has run a while");
        }
    }

    /** Jobs completed per second, from the first submission to the last clean-up. */
    private double completedPerSecond(List<String> ids) {
        long first = ids.stream().mapToLong(submittedAt::get).min().orElseThrow();
        long last = ids.stream().mapToLong(cleanedSeenAt::get).max().orElseThrow();
        return ids.size() * 1000.0 / (last - first);
    }

    /** Submits {@code jobs} jobs, {@code rate} a second, and waits until all are cleaned up. */
    private List<String> runPaced(String prefix, int rate, int jobs) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            ids.add(prefix + i);
        }
        // A submission every 1/rate s, on the clock, however long the previous one took.
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger next = new AtomicInteger();
        pacer.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i < ids.size()) {
                submit(ids.get(i));
            }
        }, 0, TimeUnit.SECONDS.toNanos(1) / rate, TimeUnit.NANOSECONDS);
        try {
            // A queue builds when more is offered than the system completes: allow for 5 jobs/s at least.
            awaitCleaned(ids, Duration.ofSeconds(Math.max(300, ids.size() / 5)));
        } finally {
            pacer.shutdownNow();
        }
        return ids;
    }

    private void submit(String jobId) {
        submittedAt.put(jobId, System.currentTimeMillis());
        sluice.submit(jobId, trivialJob());
    }

    /** Waits until the watcher saw every job cleaned up; the latencies are the watcher's, not this wait's. */
    private void awaitCleaned(List<String> ids, Duration deadline) {
        // One job is waited for closely (the next one follows it); many coarsely, sparing the cores they share.
        Duration poll = Duration.ofMillis(ids.size() == 1 ? 2 : 50);
        Awaitility.await().atMost(deadline).pollInterval(poll)
                .alias("jobs cleaned up: " + ids.size())
                .until(() -> cleanedSeenAt.keySet().containsAll(ids));
    }

    /** Reads the job and node events as a user would, noting when each job's start and clean-up were seen. */
    private void watch() {
        TopicNaming naming = new TopicNaming(sluice.scope.topicPrefix());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(sluice.scope.consumerProperties(null))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic topic : List.of(Topic.JOB_EVENTS, Topic.NODE_EVENTS)) {
                String name = naming.nameOf(topic);
                consumer.partitionsFor(name).forEach(p -> partitions.add(new TopicPartition(name, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (watching) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    Topic topic = record.topic().equals(naming.nameOf(Topic.JOB_EVENTS))
                            ? Topic.JOB_EVENTS : Topic.NODE_EVENTS;
                    SpecificRecordBase envelope = EventCodec.forTopic(topic).decode(record.value());
                    Object payload = Envelopes.payloadOf(envelope);
                    String jobId = Envelopes.metadataOf(envelope).getCorrelationId();
                    if (payload instanceof ProcessStarted) {
                        startedSeenAt.putIfAbsent(jobId, now);
                    } else if (payload instanceof JobCleanedUp) {
                        cleanedSeenAt.putIfAbsent(jobId, now);
                    }
                }
            }
        }
    }

    private void print(String title, List<String> ids) {
        List<Long> started = ids.stream().map(id -> startedSeenAt.get(id) - submittedAt.get(id)).toList();
        List<Long> cleaned = ids.stream().map(id -> cleanedSeenAt.get(id) - submittedAt.get(id)).toList();
        System.out.println(title);
        System.out.println("  submit -> ProcessStarted seen: " + percentiles(started));
        System.out.println("  submit -> JobCleanedUp seen:   " + percentiles(cleaned));
    }

    /**
     * Loop {@code number} (0 before the first round, n after round n): a bare {@code runc run} loop on a copy of the
     * bundle the node runner wrote for a job's process, one run after another, while that job sleeps (its worker's
     * directories are bound into the bundle).
     */
    private LoopRate runcBaseline(int number, boolean alsoSideBySide) throws Exception {
        String holder = "baseline-" + number;
        submittedAt.put(holder, System.currentTimeMillis());
        sluice.submit(holder, aJob().withSteps(aStep("holds", "/bin/sleep", "600")).spec());
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> startedSeenAt.containsKey(holder));
        // A loop beside JVMs still compiling or a queue still draining runs slower.
        double busy = QuietMachine.await(QUIET_BUSY_PERCENT, QUIET_WAIT);
        CpuUse before = CpuUse.now(jvms());
        Loops loop = runcLoops(1, LOOP_RUNS);
        CpuUse after = CpuUse.now(jvms());
        String when = number == 0 ? "before round 1" : "after round " + number;
        printLoops(String.format("baseline %d (%s): bare runc run of the same bundle, %d runs in a loop (machine "
                + "%.0f %% busy before it)", number, when, LOOP_RUNS, busy), loop);
        System.out.println("  " + after.perItemSince(before, LOOP_RUNS, "run"));
        double steal = printCores("the loop", before.cores(), after.cores());
        if (alsoSideBySide) {
            // Not the baseline, which is the loop above: what runc alone does side by side on this machine.
            printLoops("for comparison: " + sluice.slots() + " such loops side by side, " + SIDE_BY_SIDE_RUNS
                    + " runs each", runcLoops(sluice.slots(), SIDE_BY_SIDE_RUNS));
        }
        sluice.cancel(holder);
        awaitCleaned(List.of(holder), Duration.ofSeconds(60));
        return new LoopRate(loop.rate(), steal);
    }

    /** A loop's runs per second, and how much of the cores' time the host took meanwhile (steal). */
    private record LoopRate(double rate, double stealPercent) {
    }

    /** The milliseconds of each run, and the runs per second of all loops together. */
    private record Loops(List<Long> times, double rate) {
    }

    /** {@code loops} loops of {@code runs} runs each, side by side, each on a bundle copy with a cgroup of its own. */
    private Loops runcLoops(int loops, int runs) throws Exception {
        List<Long> times = Collections.synchronizedList(new ArrayList<>());
        List<Path> bundles = new ArrayList<>();
        for (int loop = 0; loop < loops; loop++) {
            bundles.add(RuncBundles.copyOfNodeBundle(sluice, "/bin/true", "bare-" + loop));
        }
        ExecutorService pool = Executors.newFixedThreadPool(loops);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int loop = 0; loop < loops; loop++) {
                Path bundle = bundles.get(loop);
                String name = loops + "-" + loop + "-";
                done.add(pool.submit(() -> {
                    for (int i = 0; i < runs; i++) {
                        times.add(runBare(bundle, name + i));
                    }
                    return null;
                }));
            }
            for (Future<?> loop : done) {
                loop.get();
            }
            return new Loops(times, times.size() / ((System.nanoTime() - start) / 1e9));
        } finally {
            pool.shutdown();
        }
    }

    private static void printLoops(String title, Loops loops) {
        System.out.println(title);
        System.out.println("  run: " + percentiles(loops.times()));
        System.out.printf("  rate: %.1f runs/s%n", loops.rate());
    }

    /** One {@code runc run} of the bundle as container {@code name}; returns its milliseconds. */
    private static long runBare(Path bundle, String name) throws Exception {
        long t0 = System.nanoTime();
        Process runc = new ProcessBuilder("/usr/sbin/runc", "run", "--bundle", bundle.toString(),
                "sluice-bench-bare-" + ProcessHandle.current().pid() + "-" + name)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        runc.getOutputStream().close();
        if (runc.waitFor() != 0) {
            throw new IllegalStateException("bare runc run exited with " + runc.exitValue());
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** Produce → consume round trip on the same broker, one record at a time. */
    private void kafkaBaseline(int rounds) throws Exception {
        String topic = sluice.scope.topicPrefix() + "bench.roundtrip";
        sluice.scope.admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        List<Long> micros = new ArrayList<>();
        try (var producer = new KafkaProducer<byte[], byte[]>(sluice.scope.producerProperties());
             var consumer = new KafkaConsumer<byte[], byte[]>(sluice.scope.consumerProperties(null))) {
            producer.send(new ProducerRecord<>(topic, new byte[0])).get();
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, ("r" + i).getBytes(StandardCharsets.UTF_8)));
                while (consumer.poll(Duration.ofMillis(1)).isEmpty()) {
                    // polls until the record arrives
                }
                micros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0));
            }
        }
        System.out.println("baseline: Kafka produce -> consume round trip, " + rounds + " records");
        System.out.println("  round trip (ms): " + percentiles(micros.stream().map(m -> m / 1000).toList())
                + String.format(" (p50 %.2f ms)", sorted(micros).get(micros.size() / 2) / 1000.0));
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    private static String percentiles(List<Long> values) {
        List<Long> s = sorted(values);
        return String.format("p50 %d ms, p90 %d ms, p99 %d ms, max %d ms", s.get((int) (s.size() * 0.50)),
                s.get(Math.min(s.size() - 1, (int) (s.size() * 0.90))),
                s.get(Math.min(s.size() - 1, (int) (s.size() * 0.99))), s.getLast());
    }
}
