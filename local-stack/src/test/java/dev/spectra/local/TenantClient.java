package dev.spectra.local;

import org.awaitility.core.ConditionTimeoutException;

import javax.sql.DataSource;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static dev.spectra.local.GatewayClient.Answer;
import static org.awaitility.Awaitility.await;

/**
 * One tenant application: submits a statement, honours {@code 429} by retrying after
 * {@code Retry-After} (the submission budget is not an outcome), follows the job to a terminal state
 * and reads its results. A job still running at the deadline is cancelled in the warehouse as the
 * administrator, so that one runaway statement does not hold the tenant's sessions for the rest of the run.
 */
final class TenantClient {

    private static final Duration SUBMIT_PATIENCE = Duration.ofMinutes(2);
    private static final Duration AFTER_CANCEL = Duration.ofSeconds(30);
    private static final Duration MINIMUM_RETRY_DELAY = Duration.ofMillis(100);

    private final GatewayClient gateway;
    private final String tenant;
    private final String token;
    private final String databaseUser;
    private final DataSource administrator;

    TenantClient(GatewayClient gateway, String tenant, String token, String databaseUser, DataSource administrator) {
        this.gateway = gateway;
        this.tenant = tenant;
        this.token = token;
        this.databaseUser = databaseUser;
        this.administrator = administrator;
    }

    String tenant() {
        return tenant;
    }

    /** The gateway's first answer other than 429. */
    Answer submit(String sql) {
        AtomicReference<Answer> last = new AtomicReference<>();
        AtomicReference<Duration> retryAfter = new AtomicReference<>(Duration.ZERO);
        await().atMost(SUBMIT_PATIENCE).pollDelay(Duration.ZERO).pollInterval((count, previous) -> retryAfter.get())
                .until(() -> {
                    Answer answer = gateway.submit(token, tenant, sql);
                    last.set(answer);
                    if (answer.status() != 429) {
                        return true;
                    }
                    retryAfter.set(retryAfter(answer));
                    return false;
                });
        return last.get();
    }

    QueryOutcome run(String sql, Duration deadline) {
        Answer submitted;
        try {
            submitted = submit(sql);
        } catch (UncheckedIOException | ConditionTimeoutException e) {
            return QueryOutcome.unreachable(sql, e.toString());
        }
        if (submitted.status() != 202) {
            return new QueryOutcome(sql, submitted.status(), submitted.contentType(), submitted.body(), null, null, null, true);
        }
        String jobId = submitted.text("job_id");
        AtomicReference<Answer> status = new AtomicReference<>();
        boolean endedOnItsOwn = awaitTerminal(jobId, status, deadline);
        if (!endedOnItsOwn) {
            cancelInWarehouse(sql);
            awaitTerminal(jobId, status, AFTER_CANCEL);
        }
        if (status.get() == null) {
            return new QueryOutcome(sql, 202, submitted.contentType(), submitted.body(), null, null, "status never answered", endedOnItsOwn);
        }
        String results = null;
        if ("SUCCEEDED".equals(status.get().text("status"))) {
            try {
                results = gateway.results(token, tenant, jobId).body();
            } catch (UncheckedIOException e) {
                return new QueryOutcome(sql, 202, submitted.contentType(), submitted.body(), status.get().body(), null, e.toString(), endedOnItsOwn);
            }
        }
        return new QueryOutcome(sql, 202, submitted.contentType(), submitted.body(), status.get().body(), results, null, endedOnItsOwn);
    }

    private boolean awaitTerminal(String jobId, AtomicReference<Answer> status, Duration deadline) {
        try {
            await().atMost(deadline).pollDelay(Duration.ofMillis(50)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                    .until(() -> {
                        Answer answer = gateway.status(token, tenant, jobId);
                        if (answer.status() == 200) {
                            status.set(answer);
                        }
                        return answer.status() == 200 && QueryOutcome.TERMINAL.contains(answer.text("status"));
                    });
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    private void cancelInWarehouse(String sql) {
        try (Connection connection = administrator.getConnection();
             PreparedStatement cancel = connection.prepareStatement("""
                     SELECT pg_cancel_backend(pid) FROM pg_stat_activity
                     WHERE usename = ? AND state = 'active' AND query = ?""")) {
            cancel.setString(1, databaseUser);
            cancel.setString(2, sql);
            cancel.executeQuery().close();
        } catch (SQLException e) {
            throw new IllegalStateException("could not cancel a runaway statement", e);
        }
    }

    private static Duration retryAfter(Answer answer) {
        String header = answer.headers().get("retry-after");
        try {
            Duration asked = header == null ? Duration.ZERO : Duration.ofSeconds(Long.parseLong(header.strip()));
            return asked.compareTo(MINIMUM_RETRY_DELAY) < 0 ? MINIMUM_RETRY_DELAY : asked;
        } catch (NumberFormatException e) {
            return MINIMUM_RETRY_DELAY;
        }
    }
}
