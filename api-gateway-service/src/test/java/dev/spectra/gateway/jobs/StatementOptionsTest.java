package dev.spectra.gateway.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.statement.ParameterType;
import dev.spectra.common.statement.QueryParameter;
import dev.spectra.common.tenant.Tenant;
import dev.spectra.gateway.support.GatewayWebTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatementOptionsTest extends GatewayWebTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @AfterEach
    void restoreAcme() {
        tenants.with(new Tenant(ACME, "tenant_acme", true));
    }

    @Test
    void markersAreCastToTheirDeclaredTypesAndValuesTravelOnlyAsParameters() {
        Job job = accepted("""
                {"sql": "SELECT * FROM sales WHERE region = :region AND day >= :since AND amount > :amount",
                 "parameters": [{"name": "region", "value": "x') OR 1=1 --"},
                                {"name": "since", "value": "2026-01-31", "type": "DATE"},
                                {"name": "amount", "value": 12.50, "type": "DECIMAL"}]}""");

        assertThat(job.sql()).isEqualTo("SELECT * FROM sales WHERE region = CAST(:region AS VARCHAR(65535)) AND day >= "
                + "CAST(:since AS DATE) AND amount > CAST(:amount AS DECIMAL(38,1))");
        assertThat(job.options().parameters()).containsExactly(
                new QueryParameter("region", ParameterType.STRING, "x') OR 1=1 --"),
                new QueryParameter("since", ParameterType.DATE, "2026-01-31"),
                new QueryParameter("amount", ParameterType.DECIMAL, "12.5"));
    }

    @Test
    void nullAndTheEmptyStringBecomeTypedConstantsBecauseTheDataApiCannotBindThem() {
        Job job = accepted("""
                {"sql": "SELECT * FROM sales WHERE (:region IS NULL OR region = :region) AND note <> :note",
                 "parameters": [{"name": "region", "value": null}, {"name": "note", "value": ""}]}""");

        assertThat(job.sql()).isEqualTo("SELECT * FROM sales WHERE ( CAST(NULL AS VARCHAR(65535)) IS NULL OR region = "
                + "CAST(NULL AS VARCHAR(65535)) ) AND note <> CAST('' AS VARCHAR(65535))");
        assertThat(job.options().boundParameters()).isEmpty();
    }

    @Test
    void aColonInsideAStringACommentOrACastIsNotAMarker() {
        Job job = accepted("{\"sql\": \"SELECT ':region' AS label, 1::int AS one /* :note */\"}");

        assertThat(job.sql()).isEqualTo("SELECT ':region' AS label, 1::int AS one");
    }

    @Test
    void aMarkerWithoutItsParameterIsRefusedNamingIt() {
        expectParameterInvalid(submit(ACME, "{\"sql\": \"SELECT * FROM sales WHERE region = :region\"}"), "uses :region");
    }

    @Test
    void aParameterTheSqlDoesNotUseIsRefusedNamingIt() {
        expectParameterInvalid(submit(ACME, """
                {"sql": "SELECT 1", "parameters": [{"name": "region", "value": "EU"}]}"""), "Parameter 'region' is not used");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingTheParameterAndTheType() {
        expectParameterInvalid(submit(ACME, """
                {"sql": "SELECT :n", "parameters": [{"name": "n", "value": "ten", "type": "INT"}]}"""),
                "Parameter 'n' is INT and must be an integer");
        expectParameterInvalid(submit(ACME, """
                {"sql": "SELECT :n", "parameters": [{"name": "n", "value": "2026-02-30", "type": "DATE"}]}"""),
                "Parameter 'n' is DATE");
        expectParameterInvalid(submit(ACME, """
                {"sql": "SELECT :n", "parameters": [{"name": "n", "value": "1", "type": "INTEGER"}]}"""),
                "the types are STRING, INT, BIGINT");
        expectParameterInvalid(submit(ACME, """
                {"sql": "SELECT :n", "parameters": [{"name": "n"}]}"""), "send \"value\": null for SQL NULL");
        expectParameterInvalid(submit(ACME, """
                {"sql": "SELECT :n", "parameters": [{"name": "n", "value": 1}, {"name": "n", "value": 2}]}"""), "more than once");
        assertThat(jobs.all()).isEmpty();
    }

    @Test
    void aParquetExportCannotBindParametersBecauseUnloadTakesItsQueryAsALiteral() {
        expectParameterInvalid(submit(ACME, """
                {"sql": "SELECT :n", "format": "PARQUET", "disposition": "EXTERNAL_LINKS",
                 "parameters": [{"name": "n", "value": 1, "type": "INT"}]}"""), "PARQUET");
    }

    @Test
    void nameTagsAndTimeoutAreRecordedAndEchoed() {
        EntityExchangeResult<byte[]> answer = submit(ACME, """
                {"sql": "SELECT 1", "name": "daily revenue", "tags": {"team": "finance", "env": "prod"}, "timeout_seconds": 90}""")
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.name").isEqualTo("daily revenue")
                .jsonPath("$.tags.team").isEqualTo("finance")
                .jsonPath("$.timeout_seconds").isEqualTo(90)
                .returnResult();

        Job job = jobs.stored(ACME, jobIdOf(answer)).orElseThrow();
        assertThat(job.options().tags()).isEqualTo(Map.of("team", "finance", "env", "prod"));
        assertThat(job.deadline(Duration.ofHours(1))).isEqualTo(job.submittedAt().plusSeconds(90));
    }

    @Test
    void aJobWithoutATimeoutGetsTheTenantsMaximumOrTheGatewaysDefault() {
        assertThat(accepted("{\"sql\": \"SELECT 1\"}").options().timeout()).isEqualTo(Duration.ofMinutes(15));

        tenants.with(new Tenant(ACME, "tenant_acme", true, null, null, 60));

        assertThat(accepted("{\"sql\": \"SELECT 1\"}").options().timeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aTimeoutPastTheTenantsMaximumIsRefusedNamingTheMaximum() {
        tenants.with(new Tenant(ACME, "tenant_acme", true, null, null, 60));

        submit(ACME, "{\"sql\": \"SELECT 1\", \"timeout_seconds\": 61}")
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("REQUEST_INVALID")
                .jsonPath("$.max_timeout_seconds").isEqualTo(60)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("maximum of 60 seconds"));
        assertThat(jobs.all()).isEmpty();
    }

    @Test
    void malformedTagsAndNamesAreRefused() {
        submit(ACME, "{\"sql\": \"SELECT 1\", \"tags\": {\"team\": 7}}").expectStatus().isBadRequest();
        submit(ACME, "{\"sql\": \"SELECT 1\", \"tags\": {\"bad key\": \"x\"}}").expectStatus().isBadRequest();
        submit(ACME, "{\"sql\": \"SELECT 1\", \"name\": \"\"}").expectStatus().isBadRequest();
        submit(ACME, "{\"sql\": \"SELECT 1\", \"timeout_seconds\": 0}").expectStatus().isBadRequest();
        assertThat(jobs.all()).isEmpty();
    }

    private Job accepted(String body) {
        EntityExchangeResult<byte[]> answer = submit(ACME, body).expectStatus().isAccepted().expectBody().returnResult();
        return jobs.stored(ACME, jobIdOf(answer)).orElseThrow();
    }

    private JobId jobIdOf(EntityExchangeResult<byte[]> answer) {
        return JobId.of(json.readTree(answer.getResponseBody()).get("job_id").stringValue());
    }

    private static void expectParameterInvalid(WebTestClient.ResponseSpec response, String detailPart) {
        response.expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("PARAMETER_INVALID")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains(detailPart));
    }
}
