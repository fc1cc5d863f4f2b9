package dev.spectra.common.audit;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.tenant.TenantId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;

import static dev.spectra.common.job.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The audit record's JSON is a contract with whoever reads the trail; these tests pin it. */
class AuditRecordTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:15:30.123456Z");
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aRefusalHasAFlatStableShapeWithoutAbsentFields() {
        AuditRecord refused = new AuditRecord(1, "7f1c0c2e-4a53-4bb8-9a49-1c1f1d9e2b11", NOW, AuditRecord.Decision.REFUSED, "submit",
                new AuditRecord.Actor("demo-app@acme", "reporting"), AuditRecord.Tenant.verified(TenantId.of("acme")), null,
                AuditRecord.sqlFingerprint("DROP TABLE sales"), "127.0.0.1", 400, "SQL_NOT_READ_ONLY", null, "1a2b-3", null, null);

        assertThat(json.writeValueAsString(refused)).isEqualTo("{\"schemaVersion\":1,\"recordId\":\"7f1c0c2e-4a53-4bb8-9a49-1c1f1d9e2b11\","
                + "\"occurredAt\":\"2026-12-03T10:15:30.123Z\",\"decision\":\"REFUSED\",\"operation\":\"submit\","
                + "\"actor\":{\"subject\":\"demo-app@acme\",\"clientId\":\"reporting\"},\"tenant\":{\"id\":\"acme\",\"verified\":true},"
                + "\"sqlSha256\":\"" + AuditRecord.sqlFingerprint("DROP TABLE sales") + "\",\"source\":\"127.0.0.1\",\"status\":400,"
                + "\"errorCode\":\"SQL_NOT_READ_ONLY\",\"requestId\":\"1a2b-3\"}");
        assertThat(json.readValue(json.writeValueAsString(refused), AuditRecord.class)).isEqualTo(refused);
    }

    @Test
    void theSqlFingerprintIsTheSha256OfTheTextAndNotTheText() {
        assertThat(AuditRecord.sqlFingerprint("SELECT 1"))
                .isEqualTo("e004ebd5b5532a4b85984a62f8ad48a81aa3460c1ca07701f386135d72cdecf5")
                .doesNotContainIgnoringCase("select");
        assertThat(AuditRecord.sqlFingerprint("SELECT 1 ")).isNotEqualTo(AuditRecord.sqlFingerprint("SELECT 1"));
    }

    @Test
    void anEndedRecordNamesTheJobItsTenantTerminalStateAndErrorCode() {
        Job failed = aQueuedJob().in(JobStatus.FAILED);

        AuditRecord ended = AuditRecord.ended(failed, NOW);

        assertThat(ended.decision()).isEqualTo(AuditRecord.Decision.ENDED);
        assertThat(ended.jobId()).isEqualTo(failed.jobId());
        assertThat(ended.tenant()).isEqualTo(new AuditRecord.Tenant(failed.tenantId().value(), true));
        assertThat(ended.jobStatus()).isEqualTo(JobStatus.FAILED);
        assertThat(ended.errorCode()).isEqualTo("QUERY_FAILED");
        assertThat(ended.actor()).isNull();
        assertThat(json.writeValueAsString(ended)).doesNotContain(failed.sql());
        assertThatThrownBy(() -> AuditRecord.ended(aQueuedJob().in(JobStatus.RUNNING), NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClaimedTenantIsKeptWhenWellFormedAndOtherwiseBoundedAndPrintable() {
        assertThat(AuditRecord.Tenant.claimed("globex")).isEqualTo(new AuditRecord.Tenant("globex", false));
        String hostile = "acme\r\n{\"decision\":\"ACCEPTED\"}" + "x".repeat(10_000);

        AuditRecord.Tenant claimed = AuditRecord.Tenant.claimed(hostile);

        assertThat(claimed.verified()).isFalse();
        assertThat(claimed.id()).hasSize(AuditRecord.MAX_VALUE_LENGTH).startsWith("acme____decision_:_ACCEPTED__xxx").doesNotContain("\n", "\"");
        assertThat(AuditRecord.Tenant.claimed(null)).isNull();
    }

    @Test
    void valuesATokenChoseAreBoundedToo() {
        AuditRecord.Actor actor = new AuditRecord.Actor("é".repeat(500), null);

        assertThat(actor.subject()).hasSize(AuditRecord.MAX_VALUE_LENGTH).matches("_+");
        assertThat(actor.clientId()).isNull();
    }

    @Test
    void recordsAreKeyedByTheirTenantVerifiedOrClaimed() {
        AuditRecord verified = AuditRecord.of(AuditRecord.Decision.ACCEPTED, NOW).withTenant(AuditRecord.Tenant.verified(TenantId.of("acme")));
        AuditRecord claimed = AuditRecord.of(AuditRecord.Decision.REFUSED, NOW).withTenant(AuditRecord.Tenant.claimed("globex"));

        assertThat(verified.key()).isEqualTo("acme");
        assertThat(claimed.key()).isEqualTo("globex");
        assertThat(AuditRecord.of(AuditRecord.Decision.REFUSED, NOW).key()).isNull();
        assertThat(AuditRecord.of(AuditRecord.Decision.REFUSED, NOW).recordId())
                .isNotEqualTo(AuditRecord.of(AuditRecord.Decision.REFUSED, NOW).recordId());
    }

    @Test
    void consumersIgnoreFieldsAddedByNewerProducers() {
        String newer = "{\"schemaVersion\":2,\"recordId\":\"r-1\",\"occurredAt\":\"2026-12-03T10:15:30Z\",\"decision\":\"ENDED\","
                + "\"jobId\":\"" + JobId.createdAt(NOW).value() + "\",\"jobStatus\":\"SUCCEEDED\",\"region\":\"eu-west-1\"}";

        AuditRecord record = json.readValue(newer, AuditRecord.class);

        assertThat(record.schemaVersion()).isEqualTo(2);
        assertThat(record.jobStatus()).isEqualTo(JobStatus.SUCCEEDED);
    }
}
