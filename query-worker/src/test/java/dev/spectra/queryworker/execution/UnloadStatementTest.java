package dev.spectra.queryworker.execution;

import dev.spectra.common.job.Job;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.queryworker.config.ResultsProperties;
import dev.spectra.queryworker.testing.WorkerHarness;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static dev.spectra.queryworker.testing.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnloadStatementTest {

    private static final DeliveryOptions PARQUET = new DeliveryOptions(Disposition.AUTO, ResultFormat.PARQUET, Compression.NONE, null, null);
    private static final DeliveryOptions CSV_LINKS_GZIP =
            new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.GZIP, null, null);

    @Test
    void aParquetJobUnloadsItsQueryIntoItsOwnFolderWithAVerboseManifest() {
        Job job = aQueuedJob().sql("SELECT region FROM sales").delivered(PARQUET).build();

        assertThat(UnloadStatement.of(job, WorkerHarness.RESULTS).text()).isEqualTo("UNLOAD ('SELECT region FROM sales') "
                + "TO 's3://spectra-results/tenant=acme/job=" + job.jobId().value() + "/unload/' "
                + "IAM_ROLE 'arn:aws:iam::123456789012:role/spectra-unload' FORMAT PARQUET MANIFEST VERBOSE MAXFILESIZE 128 MB");
    }

    @Test
    void aCsvJobGetsAHeaderAndGzipWhenAskedAndTheConfiguredFileSize() {
        ResultsProperties results = new ResultsProperties("exports", WorkerHarness.RESULTS.unloadIamRole(), DataSize.ofMegabytes(64));
        Job job = aQueuedJob().sql("SELECT 1").delivered(CSV_LINKS_GZIP).build();

        assertThat(UnloadStatement.of(job, results).text()).endsWith("TO 's3://exports/tenant=acme/job=" + job.jobId().value()
                + "/unload/' IAM_ROLE 'arn:aws:iam::123456789012:role/spectra-unload' FORMAT CSV HEADER GZIP MANIFEST VERBOSE MAXFILESIZE 64 MB");
    }

    @Test
    void doublesEveryQuoteAndBackslashSoNothingInTheQueryEndsTheLiteral() {
        String sql = "SELECT 'it''s', 'C:\\dir\\', ''')', $$dollar's$$, '\\'' -- comment ')\n/* block ') */";
        Job job = aQueuedJob().sql(sql).delivered(PARQUET).build();

        assertThat(UnloadStatement.of(job, WorkerHarness.RESULTS).text()).startsWith("UNLOAD ('"
                + "SELECT ''it''''s'', ''C:\\\\dir\\\\'', '''''')'', $$dollar''s$$, ''\\\\'''' -- comment '')\n/* block '') */"
                + "') TO ");
    }

    @Test
    void aRowLimitWrapsTheQueryOnLinesOfItsOwnSoATrailingCommentCannotSwallowTheParenthesis() {
        Job job = aQueuedJob().sql("SELECT * FROM sales -- all of it;\n;  ")
                .delivered(new DeliveryOptions(Disposition.AUTO, ResultFormat.PARQUET, Compression.NONE, 1000L, null)).build();

        assertThat(UnloadStatement.of(job, WorkerHarness.RESULTS).query())
                .isEqualTo("SELECT * FROM (\nSELECT * FROM sales -- all of it\n) AS spectra_limited LIMIT 1000");
    }

    @Test
    void refusesAJobWithoutUnloadAndAWorkerWithoutARole() {
        Job inline = aQueuedJob().build();
        Job parquet = aQueuedJob().delivered(PARQUET).build();
        ResultsProperties noRole = new ResultsProperties("spectra-results", null, DataSize.ofMegabytes(128));

        assertThatThrownBy(() -> UnloadStatement.of(inline, WorkerHarness.RESULTS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UnloadStatement.of(parquet, noRole))
                .isInstanceOf(UnloadStatement.MissingUnloadRoleException.class)
                .hasMessageContaining("spectra.results.unload-iam-role");
    }
}
