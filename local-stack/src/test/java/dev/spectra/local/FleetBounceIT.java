package dev.spectra.local;

import dev.spectra.local.BounceJobs.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.spectra.local.BounceJobs.pause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The short bounce test (the full-size one is {@code bench/run bounce}): a fleet of two query workers and two
 * delivery workers runs jobs of two tenants while one of each is killed with SIGKILL mid-run and started
 * again; then a third query worker joins under load, and one that holds jobs is frozen (SIGSTOP) past its
 * lease and woken. Every job must end exactly once, SUCCEEDED, with its own tenant's result, and its SQL must
 * have reached the warehouse exactly once: the woken worker re-runs and re-writes nothing. In that order: the
 * second part adds a third query worker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetBounceIT {

    private static final int JOBS = Integer.getInteger("spectra.bounce.jobs", 40);
    private static final Duration ALL_DONE_WITHIN = Duration.ofMinutes(3);
    /** Past the lease (15 s) and the next sweep (every 3 s), with room for a loaded machine's sweep to run. */
    private static final Duration FROZEN_FOR = Duration.ofSeconds(24);
    /** The second test's jobs are numbered on from here, so that their SQL differs from the first test's. */
    private static final int SECOND_BATCH = 1000;

    private LocalStack stack;
    private BounceJobs jobs;

    @BeforeAll
    void startAFleet() {
        Path root = TestRepository.root();
        stack = LocalStack.start(new LocalStackSettings(root, root.resolve("local-stack/target/bounce-stack"), FreePorts.next()));
        CompletableFuture<String> queryWorker = CompletableFuture.supplyAsync(() -> stack.startAnother("query-worker"));
        stack.startAnother("delivery-worker");
        queryWorker.join();
        jobs = new BounceJobs(stack);
    }

    @AfterAll
    void stopTheFleet() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void everyJobEndsOnceAndRunsItsSqlOnceWhileWorkersAreKilledAndRestarted() throws Exception {
        Map<String, Job> submitted = new ConcurrentHashMap<>();
        Instant started = Instant.now();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> submissions = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            int number = i;
            submissions.add(clients.submit(() -> {
                Job job = jobs.submit(number);
                submitted.put(job.jobId(), job);
            }));
            if (i == JOBS / 3) {
                // Mid-run: some jobs are running, some delivering, some not yet submitted.
                await().atMost(Duration.ofSeconds(30)).until(() -> submitted.size() >= JOBS / 4);
                stack.kill("query-worker");
                stack.kill("delivery-worker-2");
            }
        }
        for (Future<?> submission : submissions) {
            submission.get();
        }
        clients.shutdown();
        stack.restart("query-worker");
        stack.restart("delivery-worker-2");

        assertThat(jobs.awaitEnded(submitted.values(), ALL_DONE_WITHIN).values()).as("every job's ending").containsOnly("SUCCEEDED");
        Duration took = Duration.between(started, Instant.now());

        jobs.assertEachRanOnceWithItsOwnResult(submitted.values());
        System.out.printf("bounce: %d jobs of %d tenants, 2 query and 2 delivery workers, one of each killed and restarted;"
                + " all SUCCEEDED in %d s, each SQL executed once, one terminal event each%n", JOBS, BounceJobs.TENANTS.size(), took.toSeconds());
    }

    @Test
    @Order(2)
    void aWorkerFrozenPastItsLeaseAndWokenRunsAndWritesNothingTwiceWhileAnotherJoins() throws Exception {
        List<Job> submitted = new CopyOnWriteArrayList<>();
        double takenOverBefore = takenOver();
        Instant started = Instant.now();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        // A trickle of jobs, one every 500 ms, while a third query worker starts and joins the group.
        Future<?> trickle = clients.submit(() -> {
            for (int i = 0; i < JOBS / 2; i++) {
                submitted.add(jobs.submit(SECOND_BATCH + i));
                pause(Duration.ofMillis(500));
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> submitted.size() >= 2);
        String joined = stack.startAnother("query-worker");
        trickle.get();

        // Then a burst, so that a worker holds several jobs (running, and waiting for their tenant's turn) when frozen.
        List<Future<?>> burst = new ArrayList<>();
        for (int i = JOBS / 2; i < JOBS; i++) {
            int number = SECOND_BATCH + i;
            burst.add(clients.submit(() -> submitted.add(jobs.submit(number))));
        }
        String frozen = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(
                () -> jobs.queryWorkers().stream()
                        .filter(instance -> !instance.equals(joined) && jobs.metric(instance, "spectra_jobs_in_flight") >= 2)
                        .findFirst(), Optional::isPresent).orElseThrow();
        double heldWhenFrozen = jobs.metric(frozen, "spectra_jobs_in_flight");
        stack.freeze(frozen);
        pause(FROZEN_FOR); // the scenario's length, not a wait for an outcome
        stack.thaw(frozen);
        for (Future<?> submission : burst) {
            submission.get();
        }
        clients.shutdown();

        assertThat(jobs.awaitEnded(submitted, ALL_DONE_WITHIN).values()).as("every job's ending").containsOnly("SUCCEEDED");
        Duration took = Duration.between(started, Instant.now());

        jobs.assertEachRanOnceWithItsOwnResult(submitted);
        double takenOver = takenOver() - takenOverBefore;
        assertThat(takenOver).as("jobs the others took over from %s, which held %.0f when frozen", frozen, heldWhenFrozen)
                .isGreaterThanOrEqualTo(1);
        System.out.printf("bounce: %d jobs; %s joined under load; %s frozen for %d s holding %.0f jobs, %.0f taken over;"
                        + " all SUCCEEDED in %d s, each SQL executed once, one terminal event each%n",
                JOBS, joined, frozen, FROZEN_FOR.toSeconds(), heldWhenFrozen, takenOver, took.toSeconds());
    }

    private double takenOver() {
        return jobs.queryWorkers().stream().mapToDouble(instance -> jobs.metric(instance, "spectra_jobs_taken_over_total")).sum();
    }
}
