package dev.spectra.queryworker.execution;

import dev.spectra.queryworker.config.SessionsProperties;
import dev.spectra.queryworker.config.WarehouseProperties;
import dev.spectra.queryworker.testing.WorkerHarness;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.job.Job;

import static dev.spectra.queryworker.testing.JobFixtures.aQueuedJob;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ResultFormatString;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class StatementRequestsTest {

    private static final SessionsProperties SESSIONS =
            new SessionsProperties(200, Duration.ofMinutes(5), Duration.ofSeconds(30));

    @Test
    void opensSessionOnAServerlessWorkgroupAsTheTenantsDatabaseUser() {
        StatementRequests requests = new StatementRequests(new WarehouseProperties(null, "analytics", "sales"), SESSIONS, WorkerHarness.RESULTS);

        assertThat(requests.openingSession("acme_reader", "SELECT 1", java.util.List.of(), null, "job-1", "spectra-job-1")).isEqualTo(ExecuteStatementRequest.builder()
                .clientToken("job-1")
                .statementName("spectra-job-1")
                .workgroupName("analytics")
                .database("sales")
                .dbUser("acme_reader")
                .sql("SELECT 1")
                .sessionKeepAliveSeconds(300)
                .build());
    }

    @Test
    void sendsOnlyTheSessionTheSqlAndTheClientTokenToAWarmSession() {
        StatementRequests requests = new StatementRequests(new WarehouseProperties("spectra", null, "dev"), SESSIONS, WorkerHarness.RESULTS);

        assertThat(requests.onSession("session-1", "SELECT 1", java.util.List.of(), null, "job-1", "spectra-job-1"))
                .isEqualTo(ExecuteStatementRequest.builder().clientToken("job-1").statementName("spectra-job-1")
                        .sessionId("session-1").sql("SELECT 1").build());
    }

    @Test
    void anUnloadedJobRunsItsUnloadAndAnyOtherJobItsQuery() {
        StatementRequests requests = new StatementRequests(new WarehouseProperties("spectra", null, "dev"), SESSIONS, WorkerHarness.RESULTS);
        Job parquet = aQueuedJob().delivered(new DeliveryOptions(Disposition.AUTO, ResultFormat.PARQUET, Compression.NONE, null, null)).build();
        Job inline = aQueuedJob().build();

        assertThat(requests.sqlOf(parquet)).startsWith("UNLOAD ('" + parquet.sql() + "') TO 's3://spectra-results/tenant=acme/job="
                + parquet.jobId().value() + "/unload/'");
        assertThat(requests.sqlOf(inline)).isEqualTo(inline.sql());
    }

    @Test
    void aCsvJobReadPageByPageAsksForCsvResultsAndEveryOtherJobForTheDefault() {
        StatementRequests requests = new StatementRequests(new WarehouseProperties("spectra", null, "dev"), SESSIONS, WorkerHarness.RESULTS);
        Job pagedCsv = aQueuedJob().delivered(new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.GZIP, null, 1_000_000L)).build();
        Job unloadedCsv = aQueuedJob().delivered(new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.NONE, null, null)).build();
        Job jsonLines = aQueuedJob().delivered(new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.JSON_LINES, Compression.NONE, null, null)).build();

        assertThat(StatementRequests.resultFormatOf(pagedCsv)).isEqualTo(ResultFormatString.CSV);
        assertThat(StatementRequests.resultFormatOf(unloadedCsv)).as("UNLOAD writes the files itself").isNull();
        assertThat(StatementRequests.resultFormatOf(jsonLines)).isNull();
        assertThat(StatementRequests.resultFormatOf(aQueuedJob().build())).isNull();
        assertThat(requests.onSession("session-1", "SELECT 1", java.util.List.of(), ResultFormatString.CSV, "job-1", "spectra-job-1").resultFormat())
                .isEqualTo(ResultFormatString.CSV);
        assertThat(requests.openingSession("u1", "SELECT 1", java.util.List.of(), ResultFormatString.CSV, "job-1", "spectra-job-1").resultFormat())
                .isEqualTo(ResultFormatString.CSV);
    }
}
