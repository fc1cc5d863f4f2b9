package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.aws.AwsFailureClassifier;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobError;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.messaging.StatementFinished;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.deliveryworker.config.DeliveryProperties;
import dev.spectra.common.audit.AuditRecord;
import dev.spectra.common.testing.MutableClock;
import dev.spectra.common.testing.RecordingAuditTrail;
import dev.spectra.deliveryworker.jobs.FakeJobStore;
import dev.spectra.deliveryworker.result.FakeResultStore;
import dev.spectra.deliveryworker.result.ResultWriter;
import dev.spectra.deliveryworker.result.UnloadedResult;
import tools.jackson.databind.json.JsonMapper;
import dev.spectra.deliveryworker.messaging.RecordingJobEventPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.Field;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.SplittableRandom;

import static dev.spectra.common.error.ErrorCode.INTERNAL_ERROR;
import static dev.spectra.common.error.ErrorCode.QUERY_CANCELLED;
import static dev.spectra.common.error.ErrorCode.QUERY_FAILED;
import static dev.spectra.common.error.ErrorCode.RESULT_TOO_LARGE;
import static dev.spectra.common.error.ErrorCode.STORAGE_UNAVAILABLE;
import static dev.spectra.common.error.ErrorCode.WAREHOUSE_UNAVAILABLE;
import static dev.spectra.deliveryworker.delivery.FakeStatementResults.column;
import static dev.spectra.deliveryworker.delivery.FakeStatementResults.page;
import static dev.spectra.deliveryworker.delivery.FakeStatementResults.row;
import static dev.spectra.deliveryworker.delivery.FakeStatementResults.tokenOfPage;
import static dev.spectra.deliveryworker.jobs.JobFixture.aDeliveringJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryPerformerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final List<ColumnMetadata> COLUMNS = List.of(
            column("id", "int8"), column("region", "varchar"), column("revenue", "numeric"),
            column("active", "bool"), column("ratio", "float8"), column("payload", "bytea"));

    private final FakeJobStore jobs = new FakeJobStore();
    private final FakeStatementResults results = new FakeStatementResults();
    private final RecordingJobEventPublisher events = new RecordingJobEventPublisher();
    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FakeResultStore store = new FakeResultStore();
    private final MutableClock clock = new MutableClock(NOW);
    private static final DeliveryWorkerId WORKER = new DeliveryWorkerId("delivery/worker-1");

    @Test
    void deliversInlineJsonAcrossPages() {
        Job job = jobs.save(aDeliveringJob().withStatement("stmt-1").build());
        results.add("stmt-1", COLUMNS,
                page(row(Field.fromLongValue(1L), Field.fromStringValue("EU"), Field.fromStringValue("1234.50"),
                                Field.fromBooleanValue(true), Field.fromDoubleValue(0.25), blob(1, 2, 3)),
                        row(Field.fromLongValue(2L), Field.fromIsNull(true), Field.fromStringValue("0.10"),
                                Field.fromBooleanValue(false), Field.fromDoubleValue(1.5), Field.fromBlobValue(SdkBytes.fromUtf8String("hi")))),
                page(row(Field.fromLongValue(3L), Field.fromStringValue("APAC"), Field.fromStringValue("99999999999999999999.99"),
                        Field.fromBooleanValue(true), Field.fromDoubleValue(-3.75), Field.fromIsNull(true))),
                page(row(Field.fromLongValue(4L), Field.fromStringValue("a/b \"quoted\" é"), Field.fromIsNull(true),
                        Field.fromIsNull(true), Field.fromDoubleValue(Double.NaN), Field.fromIsNull(true))));

        DeliveryOutcome outcome = performer().perform(finished(job));

        Job delivered = jobs.stored(job);
        assertThat(outcome).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(delivered.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(delivered.rowCount()).isEqualTo(4);
        assertThat(delivered.error()).isNull();
        assertThat(delivered.resultJson()).isEqualTo("""
                {"columns":[{"name":"id","type":"int8"},{"name":"region","type":"varchar"},\
                {"name":"revenue","type":"numeric"},{"name":"active","type":"bool"},\
                {"name":"ratio","type":"float8"},{"name":"payload","type":"bytea"}],\
                "rows":[[1,"EU","1234.50",true,0.25,"AQID"],[2,null,"0.10",false,1.5,"aGk="],\
                [3,"APAC","99999999999999999999.99",true,-3.75,null],\
                [4,"a/b \\"quoted\\" é",null,null,"NaN",null]],"row_count":4}""");
        assertThat(results.requests()).extracting(FakeStatementResults.Request::nextToken)
                .containsExactly(tokenOfPage(0), tokenOfPage(1), tokenOfPage(2));
        assertThat(results.requests()).extracting(FakeStatementResults.Request::statementId).containsOnly("stmt-1");
    }

    @Test
    void recordsDurationRowsAndBytesOfDeliveredResult() {
        Job job = jobs.save(aDeliveringJob().build());
        results.add(job.statementId(), List.of(column("n", "int4")), page(row(Field.fromLongValue(7L)), row(Field.fromLongValue(8L))));

        performer().perform(finished(job));

        assertThat(registry.get("spectra.delivery.duration").tag("outcome", "delivered").timer().count()).isEqualTo(1);
        assertThat(registry.get("spectra.delivery.rows").summary().totalAmount()).isEqualTo(2);
        assertThat(registry.get("spectra.delivery.result.bytes").summary().totalAmount()).isEqualTo(jobs.stored(job).result().byteCount());
        assertThat(registry.get("spectra.delivery.rows.delivered").tags("disposition", "inline", "format", "json_array").counter().count())
                .isEqualTo(2);
    }

    @Test
    void recordsTheJobsDeliveryStageItsEndAndItsEndToEndTimeByTenant() {
        Job job = jobs.save(aDeliveringJob().build());
        results.add(job.statementId(), List.of(column("n", "int4")), page(row(Field.fromLongValue(7L))));
        clock.advance(Duration.ofSeconds(3));

        performer().perform(finished(job));

        String tenant = job.tenantId().value();
        assertThat(registry.get("spectra.jobs.delivery").tags("tenant", tenant, "status", "SUCCEEDED").timer().totalTime(TimeUnit.SECONDS))
                .as("from the DELIVERING write to the stored outcome").isEqualTo(Duration.between(job.updatedAt(), NOW.plusSeconds(3)).toSeconds());
        assertThat(registry.get("spectra.jobs.ended").tags("tenant", tenant, "status", "SUCCEEDED", "code", "none").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("spectra.jobs.end_to_end").tags("tenant", tenant, "status", "SUCCEEDED").timer().count()).isEqualTo(1);
        assertThat(registry.get("spectra.dataapi.calls").tags("operation", "GetStatementResult", "outcome", "success").counter().count())
                .isEqualTo(1);
    }

    @Test
    void publishesJobEventOnSuccess() {
        Job job = jobs.save(aDeliveringJob().build());
        results.add(job.statementId(), List.of(column("n", "int4")), page(row(Field.fromLongValue(7L))));

        performer().perform(finished(job));

        assertThat(events.published()).containsExactly(jobs.stored(job));
        assertThat(events.published().getFirst().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(events.published().getFirst().version()).as("leased, then ended").isEqualTo(job.version() + 2);
        assertThat(events.published().getFirst().updatedAt()).isEqualTo(NOW);
        assertThat(audit.records()).singleElement().satisfies(ended -> {
            assertThat(ended.decision()).isEqualTo(AuditRecord.Decision.ENDED);
            assertThat(ended.jobId()).isEqualTo(job.jobId());
            assertThat(ended.jobStatus()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(ended.errorCode()).isNull();
        });
    }

    @Test
    void skipsJobThatIsNotDelivering() {
        Job job = jobs.save(aDeliveringJob().build());
        results.add(job.statementId(), List.of(column("n", "int4")), page(row(Field.fromLongValue(7L))));
        DeliveryPerformer performer = performer();
        performer.perform(finished(job));
        Job succeeded = jobs.stored(job);

        DeliveryOutcome redelivery = performer.perform(finished(job));

        assertThat(redelivery).isEqualTo(DeliveryOutcome.SKIPPED);
        assertThat(jobs.stored(job)).isEqualTo(succeeded);
        assertThat(jobs.writes()).as("the lease and the outcome").hasSize(2);
        assertThat(events.published()).hasSize(1);
        assertThat(audit.records()).as("ended once").hasSize(1);
        assertThat(results.requests()).hasSize(1);
    }

    @Test
    void acknowledgesMissingJobWithoutWriting() {
        Job neverStored = aDeliveringJob().build();

        DeliveryOutcome outcome = performer().perform(finished(neverStored));

        assertThat(outcome).isEqualTo(DeliveryOutcome.NOT_FOUND);
        assertThat(jobs.writes()).isEmpty();
        assertThat(results.requests()).isEmpty();
        assertThat(events.published()).isEmpty();
    }

    @Test
    void anInlineResultPastTheInlineLimitFailsWithResultTooLargeNamingTheLimit() {
        Job job = jobs.save(aDeliveringJob().askingFor(Disposition.INLINE, ResultFormat.JSON_ARRAY, Compression.NONE).build());
        List<List<Field>> rows = Collections.nCopies(20, row(Field.fromStringValue("x".repeat(100))));
        results.add(job.statementId(), List.of(column("text", "varchar")), rows, rows, rows);

        DeliveryOutcome outcome = performer(DataSize.ofKilobytes(1)).perform(finished(job));

        Job failed = jobs.stored(job);
        assertThat(outcome).isEqualTo(DeliveryOutcome.FAILED);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.result()).isNull();
        assertThat(failed.error().code()).isEqualTo(RESULT_TOO_LARGE.name());
        assertThat(failed.error().retryable()).isFalse();
        assertThat(failed.error().message()).contains("passed 1024 bytes, the most delivered inline (disposition INLINE)");
        assertThat(results.requests()).as("pages read").hasSize(1);
        assertThat(events.published()).containsExactly(failed);
        assertThat(audit.records()).singleElement().satisfies(ended -> {
            assertThat(ended.jobStatus()).isEqualTo(JobStatus.FAILED);
            assertThat(ended.errorCode()).isEqualTo(RESULT_TOO_LARGE.name());
        });
    }

    @Test
    void aResultTheWarehouseReportsOverTheTenantsLimitFailsBeforeAnyPageIsRead() {
        Job job = jobs.save(aDeliveringJob().withMaxResultBytes(1_000_000).build());
        results.add(job.statementId(), List.of(column("n", "int4")), page(row(Field.fromLongValue(1L))));

        DeliveryOutcome outcome = performer().perform(new StatementFinished(job.jobId(), job.tenantId(), job.statementId(), 40_000, 1_600_000));

        Job failed = jobs.stored(job);
        assertThat(outcome).isEqualTo(DeliveryOutcome.FAILED);
        assertThat(failed.error().code()).isEqualTo(RESULT_TOO_LARGE.name());
        assertThat(failed.error().message()).contains("reports a result of 1600000 bytes").contains("at most 1000000 bytes (max_result_bytes)");
        assertThat(results.requests()).isEmpty();
    }

    @Test
    void aResultPastTheTenantsLimitIsCutThereWhenTheClientAskedForAByteLimit() {
        Job job = jobs.save(aDeliveringJob().withMaxResultBytes(300)
                .askingFor(new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.JSON_LINES, Compression.NONE, null, 10_000L)).build());
        results.add(job.statementId(), List.of(column("text", "varchar")), Collections.nCopies(50, row(Field.fromStringValue("0123456789"))));

        performer().perform(finished(job));

        Job delivered = jobs.stored(job);
        assertThat(delivered.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(delivered.result().truncated()).isTrue();
        assertThat(delivered.result().rowCount()).isEqualTo(300 / "[\"0123456789\"]\n".length());
        assertThat(delivered.result().byteCount()).isLessThanOrEqualTo(300);
    }

    @Test
    void aCsvResultTheWarehouseWroteAsCsvIsReadWithGetStatementResultV2AndStoredAsItsText() {
        Job job = jobs.save(aDeliveringJob()
                .askingFor(new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.NONE, null, 1_000_000L)).build());
        results.addCsv(job.statementId(), List.of(column("id", "int4"), column("note", "varchar")),
                "id,note\n1,\"a, \"\"quoted\"\"\nline\"\n", "2,\n3,plain\n");

        DeliveryOutcome outcome = performer().perform(finished(job));

        Job delivered = jobs.stored(job);
        assertThat(outcome).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(delivered.result().rowCount()).isEqualTo(3);
        assertThat(results.requests()).extracting(FakeStatementResults.Request::nextToken).containsExactly(tokenOfPage(0), tokenOfPage(1));
        String chunk = store.objects().entrySet().stream().filter(object -> object.getKey().endsWith(".csv"))
                .map(object -> new String(object.getValue(), java.nio.charset.StandardCharsets.UTF_8)).findFirst().orElseThrow();
        assertThat(chunk).isEqualTo("id,note\n1,\"a, \"\"quoted\"\"\nline\"\n2,\n3,plain\n");
    }

    @Test
    void retriesThrottledPageThenSucceeds() {
        Job job = jobs.save(aDeliveringJob().build());
        results.add(job.statementId(), List.of(column("n", "int4")),
                page(row(Field.fromLongValue(1L))), page(row(Field.fromLongValue(2L))), page(row(Field.fromLongValue(3L))));
        results.failPage(job.statementId(), 1, 2, AwsErrors::dataApiThrottled);

        DeliveryOutcome outcome = performer().perform(finished(job));

        assertThat(outcome).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(jobs.stored(job).rowCount()).isEqualTo(3);
        assertThat(results.requests()).extracting(FakeStatementResults.Request::nextToken)
                .containsExactly(tokenOfPage(0), tokenOfPage(1), tokenOfPage(1), tokenOfPage(1), tokenOfPage(2));
        assertThat(sleeper.pauses()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(registry.get("spectra.delivery.retries").tag("dependency", "warehouse").counter().count()).isEqualTo(2);
        assertThat(registry.get("spectra.dataapi.calls").tags("operation", "GetStatementResult", "outcome", "throttled").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("spectra.dataapi.calls").tags("operation", "GetStatementResult", "outcome", "success").counter().count())
                .isEqualTo(3);
    }

    @Test
    void failsWithWarehouseUnavailableAfterRetriesExhausted() {
        Job job = jobs.save(aDeliveringJob().build());
        results.add(job.statementId(), List.of(column("n", "int4")), page(row(Field.fromLongValue(1L))));
        results.failPage(job.statementId(), 0, 10, AwsErrors::dataApiInternalError);

        DeliveryOutcome outcome = performer().perform(finished(job));

        Job failed = jobs.stored(job);
        assertThat(outcome).isEqualTo(DeliveryOutcome.FAILED);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isEqualTo(new JobError(WAREHOUSE_UNAVAILABLE.name(),
                "the warehouse (Redshift Data API) is unavailable: The server encountered an internal error", true));
        assertThat(results.requests()).hasSize(3);
        assertThat(sleeper.pauses()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(registry.get("spectra.dataapi.calls").tags("operation", "GetStatementResult", "outcome", "retried").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("spectra.dataapi.calls").tags("operation", "GetStatementResult", "outcome", "failed").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("spectra.jobs.ended").tags("tenant", failed.tenantId().value(), "status", "FAILED", "code", "WAREHOUSE_UNAVAILABLE")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void failsQueryWhenResultsAreGone() {
        Job job = jobs.save(aDeliveringJob().build());

        DeliveryOutcome outcome = performer().perform(finished(job));

        Job failed = jobs.stored(job);
        assertThat(outcome).isEqualTo(DeliveryOutcome.FAILED);
        assertThat(failed.error().code()).isEqualTo(QUERY_FAILED.name());
        assertThat(failed.error().retryable()).isFalse();
        assertThat(failed.error().message()).startsWith("the statement's result is no longer available in the warehouse");
        assertThat(results.requests()).as("not retried").hasSize(1);
        assertThat(sleeper.pauses()).isEmpty();
    }

    @Test
    void aJobItsClientCancelledWhileItWasDeliveredEndsElsewhereAndNothingIsPublished() {
        Job job = jobs.save(aDeliveringJob().build());
        results.add(job.statementId(), List.of(column("n", "int4")), page(row(Field.fromLongValue(1L))));
        jobs.beforeNextWrite(stored -> stored.endWith(JobStatus.CANCELLED, JobError.of(QUERY_CANCELLED, "cancelled by the user"), NOW));

        DeliveryOutcome outcome = performer().perform(finished(job));

        assertThat(outcome).isEqualTo(DeliveryOutcome.ENDED_ELSEWHERE);
        assertThat(jobs.stored(job).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(jobs.writes()).isEmpty();
        assertThat(events.published()).isEmpty();
    }

    @Test
    void renewsItsLeaseBetweenPagesOfALongDelivery() {
        Job job = jobs.save(aDeliveringJob().build());
        results.add(job.statementId(), List.of(column("n", "int4")),
                page(row(Field.fromLongValue(1L))), page(row(Field.fromLongValue(2L))), page(row(Field.fromLongValue(3L))));
        StatementResults slow = (statementId, token) -> {
            clock.advance(Duration.ofSeconds(11));
            return results.page(statementId, token);
        };

        performer(DataSize.ofKilobytes(256), slow).perform(finished(job));

        assertThat(jobs.writes()).extracting(written -> written.lease() == null ? "ended" : written.lease().owner())
                .containsExactly("delivery/worker-1", "delivery/worker-1", "delivery/worker-1", "ended");
        assertThat(jobs.stored(job).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void aDeliveryWhoseJobWasTakenOverStopsAtItsNextRenewalAndWritesNothing() {
        Job job = jobs.save(aDeliveringJob().build());
        results.add(job.statementId(), List.of(column("n", "int4")),
                page(row(Field.fromLongValue(1L))), page(row(Field.fromLongValue(2L))));
        StatementResults frozen = (statementId, token) -> {
            // Frozen past its lease: a sweeper took the job to announce it again.
            clock.advance(Duration.ofSeconds(31));
            jobs.beforeNextWrite(stored -> stored.leasedTo("query-worker-2", clock.instant().plusSeconds(30)));
            return results.page(statementId, token);
        };

        DeliveryOutcome outcome = performer(DataSize.ofKilobytes(256), frozen).perform(finished(job));

        assertThat(outcome).isEqualTo(DeliveryOutcome.LOST_RACE);
        assertThat(jobs.stored(job).status()).isEqualTo(JobStatus.DELIVERING);
        assertThat(jobs.stored(job).lease().owner()).isEqualTo("query-worker-2");
        assertThat(events.published()).isEmpty();
    }

    @Test
    void aJobAnotherDeliveryWorkerHoldsIsSkipped() {
        Job job = jobs.save(aDeliveringJob().build());
        Job held = jobs.save(job.leasedTo("delivery/worker-2", NOW.plusSeconds(20)));

        DeliveryOutcome outcome = performer().perform(finished(held));

        assertThat(outcome).isEqualTo(DeliveryOutcome.SKIPPED);
        assertThat(results.requests()).isEmpty();
        assertThat(jobs.writes()).isEmpty();
    }

    @Test
    void aJobThatCannotBeLeasedIsLeftForItsLeaseToBringBack() {
        Job job = jobs.save(aDeliveringJob().build());
        results.add(job.statementId(), List.of(column("n", "int4")), page(row(Field.fromLongValue(1L))));
        jobs.failNextWrites(3, AwsErrors::dynamoDbThrottled);

        DeliveryOutcome outcome = performer().perform(finished(job));

        assertThat(outcome).isEqualTo(DeliveryOutcome.DEFERRED);
        assertThat(jobs.stored(job)).isEqualTo(job);
        assertThat(results.requests()).isEmpty();
    }

    @Test
    void defersWhenJobCannotBeRead() {
        Job job = jobs.save(aDeliveringJob().build());
        jobs.failNextFinds(3, AwsErrors::dynamoDbThrottled);

        assertThat(performer().perform(finished(job))).isEqualTo(DeliveryOutcome.DEFERRED);

        assertThat(jobs.stored(job)).isEqualTo(job);
        assertThat(results.requests()).isEmpty();
        assertThat(registry.get("spectra.delivery.duration").tag("outcome", "deferred").timer().count()).isEqualTo(1);
    }

    @Test
    void failsWithInternalErrorInsteadOfLeavingJobDelivering() {
        Job job = jobs.save(aDeliveringJob().build());
        results.failPage(job.statementId(), 0, 1, () -> new IllegalStateException("a bug"));

        DeliveryOutcome outcome = performer().perform(finished(job));

        Job failed = jobs.stored(job);
        assertThat(outcome).isEqualTo(DeliveryOutcome.FAILED);
        assertThat(failed.error()).isEqualTo(JobError.of(INTERNAL_ERROR, "the result could not be delivered because of an internal error"));
        assertThat(results.requests()).hasSize(1);
    }

    @Test
    void namesJobAndTenantInLogContextOnlyWhileDelivering() {
        Job job = jobs.save(aDeliveringJob().build());
        List<String> seen = new ArrayList<>();
        StatementResults recordingContext = (statementId, token) -> {
            seen.add(MDC.get("jobId") + "/" + MDC.get("tenantId"));
            return results.page(statementId, token);
        };
        results.add(job.statementId(), List.of(column("n", "int4")), page(row(Field.fromLongValue(1L))));

        performer(DataSize.ofKilobytes(256), recordingContext).perform(finished(job));


        assertThat(seen).containsExactly(job.jobId().value() + "/acme");
        assertThat(MDC.get("jobId")).isNull();
        assertThat(MDC.get("tenantId")).isNull();
    }

    private DeliveryPerformer performer() {
        return performer(DataSize.ofKilobytes(256), results);
    }

    private DeliveryPerformer performer(DataSize inlineMaxBytes) {
        return performer(inlineMaxBytes, results);
    }

    /** Small limits, so that tests show chunks and switches with a few rows: inline chunks 512B, files 1KB. */
    private DeliveryPerformer performer(DataSize inlineMaxBytes, StatementResults statementResults) {
        DeliveryProperties delivery = new DeliveryProperties(DataSize.ofBytes(Math.min(1024, inlineMaxBytes.toBytes())), inlineMaxBytes, DataSize.ofBytes(512),
                DataSize.ofKilobytes(1), DataSize.ofMegabytes(1), Duration.ofSeconds(30), 16, 2, 8, DataSize.ofMegabytes(8),
                new DeliveryProperties.Retry(3, Duration.ofMillis(100), Duration.ofSeconds(1), 0));
        DeliveryMetrics metrics = new DeliveryMetrics(registry);
        AwsFailureClassifier classifier = new AwsFailureClassifier();
        RetryingCaller caller = new RetryingCaller(classifier, delivery, sleeper, new SplittableRandom(1), metrics);
        JsonMapper json = JsonMapper.builder().build();
        return new DeliveryPerformer(jobs, statementResults, new ResultWriter(store, json, delivery), new UnloadedResult(store, json),
                caller, classifier, events, metrics, clock, WORKER, delivery, audit);
    }

    private static StatementFinished finished(Job job) {
        return new StatementFinished(job.jobId(), job.tenantId(), job.statementId(), 0, 0);
    }

    private static Field blob(int... bytes) {
        byte[] value = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            value[i] = (byte) bytes[i];
        }
        return Field.fromBlobValue(SdkBytes.fromByteArray(value));
    }
}
