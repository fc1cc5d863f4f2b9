package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.spectra.local.GatewayClient.acceptedJobId;
import static dev.spectra.local.GatewayClient.Answer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant whose registry entry says {@code max_concurrent_queries = 1} runs its queries one after the other
 * in the warehouse, while a tenant on the default (4) runs its queries side by side; seen from the warehouse's
 * own {@code pg_stat_activity}, not from the service's word.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantConcurrencyIT {

    private static final String ACME = "acme";
    private static final String GLOBEX = "globex";
    /** Seconds of counting: long enough for two of them to overlap however loaded the machine is. */
    private static final String SLOW_QUERY_START = "SELECT COUNT(*) FROM generate_series(1, 20000000)";
    private static final String SLOW_QUERY = SLOW_QUERY_START + " AS g WHERE g <> ";
    /** Paces the sampling; nothing depends on it. */
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(50);
    private static final Duration ALL_DONE_WITHIN = Duration.ofMinutes(3);

    private LocalStack stack;
    private GatewayClient gateway;

    @BeforeAll
    void startTheStack() {
        Path root = TestRepository.root();
        stack = LocalStack.start(new LocalStackSettings(root, root.resolve("local-stack/target/tenant-concurrency-stack"), FreePorts.next())
                .withTenantConcurrency(TenantId.of(ACME), 1));
        gateway = new GatewayClient(stack.gatewayUrl());
    }

    @AfterAll
    void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aTenantLimitedToOneRunsItsSlowQueriesOneAfterTheOtherWhileAnotherTenantRunsItsTogether() throws Exception {
        String acmeToken = stack.tokens().tokenFor(TenantId.of(ACME));
        String globexToken = stack.tokens().tokenFor(TenantId.of(GLOBEX));
        Map<String, String> jobs = new HashMap<>();
        jobs.put(acceptedJobId(gateway.submit(acmeToken, ACME, SLOW_QUERY + 1)), ACME);
        jobs.put(acceptedJobId(gateway.submit(acmeToken, ACME, SLOW_QUERY + 2)), ACME);
        jobs.put(acceptedJobId(gateway.submit(globexToken, GLOBEX, SLOW_QUERY + 3)), GLOBEX);
        jobs.put(acceptedJobId(gateway.submit(globexToken, GLOBEX, SLOW_QUERY + 4)), GLOBEX);
        String acmeUser = stack.databaseUserOf(TenantId.of(ACME));
        String globexUser = stack.databaseUserOf(TenantId.of(GLOBEX));

        Map<String, Integer> mostAtOnce = new HashMap<>(Map.of(acmeUser, 0, globexUser, 0));
        Map<String, String> endings = new HashMap<>();
        Instant giveUpAt = Instant.now().plus(ALL_DONE_WITHIN);
        try (Connection admin = stack.warehouse().administratorDataSource().getConnection()) {
            while (endings.size() < jobs.size() && Instant.now().isBefore(giveUpAt)) {
                activeSlowQueriesByUser(admin).forEach((user, count) -> mostAtOnce.merge(user, count, Math::max));
                jobs.forEach((jobId, tenant) -> {
                    if (!endings.containsKey(jobId)) {
                        String status = gateway.status(tenant.equals(ACME) ? acmeToken : globexToken, tenant, jobId).text("status");
                        if (List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT").contains(status)) {
                            endings.put(jobId, status);
                        }
                    }
                });
                Thread.sleep(SAMPLE_EVERY);
            }
        }

        assertThat(endings).as("every job ended within %s", ALL_DONE_WITHIN).hasSize(4);
        assertThat(endings.values()).containsOnly("SUCCEEDED");
        assertThat(mostAtOnce.get(acmeUser)).as("acme's queries active at once (its limit is 1)").isEqualTo(1);
        assertThat(mostAtOnce.get(globexUser)).as("globex's queries active at once (its limit is the default, 4)").isEqualTo(2);
    }

    private static Map<String, Integer> activeSlowQueriesByUser(Connection admin) throws SQLException {
        Map<String, Integer> active = new HashMap<>();
        try (Statement sql = admin.createStatement();
             ResultSet rows = sql.executeQuery("SELECT usename, count(*) FROM pg_stat_activity WHERE state = 'active'"
                     + " AND query LIKE '" + SLOW_QUERY_START + "%' GROUP BY usename")) {
            while (rows.next()) {
                active.put(rows.getString(1), rows.getInt(2));
            }
        }
        return active;
    }

}
