package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A result far larger than any page (a hundred million rows, or a self-join of millions) asked for by
 * one tenant ends as a failed job, and meanwhile another tenant's trivial queries keep succeeding. Its
 * own stack: until results stream with a size cap, the run exhausts the memory of the JVM that hosts
 * the emulator and Kafka.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunawayResultIT {

    /** The warehouse ends a tenant's runaway query after this, well within the test's deadlines. */
    private static final Duration RUNAWAY_QUERY_LIMIT = Duration.ofSeconds(15);
    private static final String ACME = "acme";
    private static final String GLOBEX = "globex";
    private static final Duration JOB_DEADLINE = Duration.ofSeconds(90);
    /** The longest a runaway statement may hold a job before the warehouse or the service ends it. */
    private static final Duration RUNAWAY_DEADLINE = Duration.ofMinutes(3);

    private LocalStack stack;
    private TenantClient acme;
    private TenantClient globex;

    @BeforeAll
    void startTheStack() {
        Path root = TestRepository.root();
        stack = LocalStack.start(new LocalStackSettings(root, root.resolve("local-stack/target/runaway-result-stack"), FreePorts.next())
                .withTenantLimits(TenantLimits.DEFAULTS.withStatementTimeout(RUNAWAY_QUERY_LIMIT)));
        GatewayClient gateway = new GatewayClient(stack.gatewayUrl());
        var users = ForbiddenKnowledge.databaseUsersByTenant(stack.dynamoDbEndpoint());
        acme = new TenantClient(gateway, ACME, stack.tokens().tokenFor(TenantId.of(ACME)), users.get(ACME),
                stack.warehouse().administratorDataSource());
        globex = new TenantClient(gateway, GLOBEX, stack.tokens().tokenFor(TenantId.of(GLOBEX)), users.get(GLOBEX),
                stack.warehouse().administratorDataSource());
    }

    @AfterAll
    void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aRunawayResultFromOneTenantNeitherHangsNorTakesTheServiceDownForAnother() {
        ExecutorService runaways = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<QueryOutcome>> acmeJobs = List.of(
                    "SELECT * FROM generate_series(1, 100000000)",
                    "SELECT a.order_id, b.order_id, c.order_id FROM sales a CROSS JOIN sales b CROSS JOIN (SELECT order_id FROM sales LIMIT 3) c")
                    .stream().map(sql -> CompletableFuture.supplyAsync(() -> acme.run(sql, RUNAWAY_DEADLINE), runaways)).toList();
            List<QueryOutcome> globexMeanwhile = new ArrayList<>();
            while (acmeJobs.stream().anyMatch(job -> !job.isDone())) {
                globexMeanwhile.add(globex.run("SELECT 1 AS one", JOB_DEADLINE));
            }

            assertThat(globexMeanwhile).as("globex's SELECT 1 while acme's runaways ran").allSatisfy(outcome ->
                    assertThat(outcome.jobStatus()).as(outcome.summary()).isEqualTo("SUCCEEDED"));
            assertThat(acmeJobs).extracting(CompletableFuture::join).allSatisfy(outcome -> {
                assertThat(outcome.submitStatus()).as(outcome.summary()).isLessThan(500);
                assertThat(outcome.endedOnItsOwn()).as("ended within %s: %s", RUNAWAY_DEADLINE, outcome.summary()).isTrue();
                if (outcome.accepted()) {
                    assertThat(outcome.jobStatus()).as(outcome.summary()).isIn("FAILED", "TIMED_OUT", "CANCELLED");
                }
            });
        } finally {
            runaways.shutdownNow();
        }
    }

}
