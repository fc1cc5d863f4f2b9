package dev.spectra.common.messaging;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.tenant.TenantId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;

import static dev.spectra.common.job.JobFixtures.NOW;
import static dev.spectra.common.job.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;

/** The JSON shape is the contract between services; these tests pin it. */
class MessageContractTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void jobRequestedHasAFlatStableShape() {
        JobRequested message = new JobRequested(
                JobId.of("0b6f4b9e-8f3c-4b7a-9d7e-2f1a5c3e9b10"), TenantId.of("acme"), Instant.parse("2026-11-25T10:00:00Z"));

        assertThat(json.writeValueAsString(message)).isEqualTo(
                "{\"schemaVersion\":1,\"jobId\":\"0b6f4b9e-8f3c-4b7a-9d7e-2f1a5c3e9b10\",\"tenantId\":\"acme\","
                        + "\"submittedAt\":\"2026-11-25T10:00:00Z\"}");
    }

    @Test
    void consumersIgnoreFieldsAddedByNewerProducers() {
        String newer = "{\"schemaVersion\":2,\"jobId\":\"0b6f4b9e-8f3c-4b7a-9d7e-2f1a5c3e9b10\",\"tenantId\":\"acme\","
                + "\"statementId\":\"s-1\",\"resultRows\":3,\"resultBytes\":99,\"priority\":\"high\"}";

        StatementFinished message = json.readValue(newer, StatementFinished.class);

        assertThat(message.schemaVersion()).isEqualTo(2);
        assertThat(message.resultRows()).isEqualTo(3);
    }

    @Test
    void jobEventOmitsWhatTheJobDoesNotHave() {
        Job running = aQueuedJob().in(JobStatus.RUNNING);

        String event = json.writeValueAsString(JobEvent.of(running));

        assertThat(event).contains("\"status\":\"RUNNING\"").doesNotContain("rowCount").doesNotContain("errorCode");
        assertThat(json.readValue(event, JobEvent.class)).isEqualTo(JobEvent.of(running));
    }

    @Test
    void jobEventOfAFailedJobNamesTheCode() {
        Job failed = aQueuedJob().in(JobStatus.FAILED);

        assertThat(JobEvent.of(failed).errorCode()).isEqualTo("QUERY_FAILED");
        assertThat(JobEvent.of(failed).occurredAt()).isEqualTo(NOW);
    }
}
