package dev.spectra.gateway.docs;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.gateway.support.GatewayWebTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static dev.spectra.gateway.support.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The served OpenAPI document against the running gateway: real answers to real requests, each checked for a status
 * the operation documents, a content type it documents for that status, and a body that its schema (JSON Schema
 * 2020-12, as OpenAPI 3.1 writes it) accepts.
 */
class OpenApiContractTest extends GatewayWebTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final String RESULT = "{\"columns\":[{\"name\":\"one\",\"type\":\"int4\"}],\"rows\":[[1]],\"row_count\":1}";
    /** Codes of job outcomes, stored on jobs, never a problem's. */
    private static final Set<ErrorCode> OUTCOMES = EnumSet.of(ErrorCode.QUERY_FAILED, ErrorCode.QUERY_CANCELLED,
            ErrorCode.QUERY_TIMED_OUT, ErrorCode.RESULT_TOO_LARGE, ErrorCode.WAREHOUSE_UNAVAILABLE);

    private JsonNode spec;
    private final List<String> checked = new ArrayList<>();

    @BeforeEach
    void readTheServedDocument() {
        // Generated on the first request: give it time on a busy machine.
        byte[] body = client.mutate().responseTimeout(Duration.ofSeconds(60)).build().get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        spec = JSON.readTree(body);
    }

    @Test
    void theDocumentIsOpenApi31WithBothSecuritySchemesAndEveryProblemCode() {
        assertThat(spec.get("openapi").asString()).startsWith("3.1");
        JsonNode schemes = spec.get("components").get("securitySchemes");
        assertThat(schemes.get("bearer").get("scheme").asString()).isEqualTo("bearer");
        assertThat(schemes.get("tenant").get("name").asString()).isEqualTo("X-Tenant-ID");
        assertThat(fieldNames(spec.get("paths"))).contains("/v1/queries", "/v1/queries/{jobId}", "/v1/queries/{jobId}/cancel",
                "/v1/queries/{jobId}/events", "/v1/queries/{jobId}/results", "/v1/queries/{jobId}/results/chunks/{index}");
        List<String> codes = new ArrayList<>();
        spec.get("components").get("schemas").get("Problem").get("properties").get("code").get("enum")
                .forEach(code -> codes.add(code.asString()));
        for (ErrorCode code : ErrorCode.values()) {
            if (!OUTCOMES.contains(code)) {
                assertThat(codes).as("problem codes in the document").contains(code.name());
                assertThat(spec.get("paths").toString()).as("an operation's answers name " + code).contains(code.name());
            }
        }
    }

    @Test
    void realAnswersOfEveryOperationMatchTheDocument() {
        String queued = jobIdOf(check(HttpMethod.POST, "/v1/queries", "/v1/queries", "{\"sql\": \"SELECT 1\", \"name\": \"n\"}", null));
        check(HttpMethod.POST, "/v1/queries", "/v1/queries",
                "{\"sql\": \"SELECT 1\", \"wait_seconds\": 1, \"on_wait_timeout\": \"CANCEL\"}", null);
        check(HttpMethod.POST, "/v1/queries", "/v1/queries", "{\"sql\": \"DROP TABLE sales\"}", null);
        check(HttpMethod.POST, "/v1/queries", "/v1/queries", "{\"sql\": \"SELECT :x\"}", null);
        check(HttpMethod.POST, "/v1/queries", "/v1/queries", "{\"sql\": \"SELECT 2\"}", "contract-key");
        check(HttpMethod.POST, "/v1/queries", "/v1/queries", "{\"sql\": \"SELECT 2\"}", "contract-key");
        check(HttpMethod.POST, "/v1/queries", "/v1/queries", "{\"sql\": \"SELECT 3\"}", "contract-key");
        check(HttpMethod.GET, "/v1/queries/{jobId}", "/v1/queries/" + queued, null, null);
        check(HttpMethod.GET, "/v1/queries/{jobId}", "/v1/queries/" + queued + "?wait_seconds=1", null, null);
        check(HttpMethod.GET, "/v1/queries/{jobId}", "/v1/queries/" + dev.spectra.common.job.JobId.random(), null, null);
        check(HttpMethod.GET, "/v1/queries", "/v1/queries?limit=1", null, null);
        check(HttpMethod.GET, "/v1/queries", "/v1/queries?page_token=forged", null, null);
        check(HttpMethod.GET, "/v1/queries/{jobId}/results", "/v1/queries/" + queued + "/results", null, null);
        check(HttpMethod.POST, "/v1/queries/{jobId}/cancel", "/v1/queries/" + queued + "/cancel", null, null);
        check(HttpMethod.DELETE, "/v1/queries/{jobId}", "/v1/queries/" + queued, null, null);
        check(HttpMethod.GET, "/v1/queries/{jobId}/events", "/v1/queries/" + queued + "/events", null, null);

        Job succeeded = aQueuedJob().forTenant(ACME).submittedAt(clock.instant().minusSeconds(10)).succeeded(1, RESULT);
        jobs.save(succeeded);
        check(HttpMethod.GET, "/v1/queries/{jobId}/results", "/v1/queries/" + succeeded.jobId() + "/results", null, null);
        check(HttpMethod.GET, "/v1/queries/{jobId}/results/chunks/{index}", "/v1/queries/" + succeeded.jobId() + "/results/chunks/0",
                null, null);
        check(HttpMethod.GET, "/v1/queries/{jobId}/results/chunks/{index}", "/v1/queries/" + succeeded.jobId() + "/results/chunks/7",
                null, null);

        assertThat(checked).contains("POST /v1/queries 202", "POST /v1/queries 200", "POST /v1/queries 400", "POST /v1/queries 422",
                "GET /v1/queries/{jobId} 200", "GET /v1/queries/{jobId} 202", "GET /v1/queries/{jobId} 404",
                "GET /v1/queries 200", "GET /v1/queries 400", "GET /v1/queries/{jobId}/results 409",
                "GET /v1/queries/{jobId}/results 200", "POST /v1/queries/{jobId}/cancel 200", "DELETE /v1/queries/{jobId} 409",
                "GET /v1/queries/{jobId}/events 200", "GET /v1/queries/{jobId}/results/chunks/{index} 200",
                "GET /v1/queries/{jobId}/results/chunks/{index} 404");
    }

    @Test
    void theBrowsableUiIsServedWithoutAToken() {
        WebTestClient patient = client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
        String location = patient.get().uri("/swagger-ui.html").exchange()
                .expectStatus().is3xxRedirection()
                .returnResult(String.class).getResponseHeaders().getLocation().toString();

        patient.get().uri(location).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
    }

    @Test
    void theCheckRefusesBodiesTheDocumentDoesNotAllow() {
        Schema problem = schemaOf(JSON.readTree("{\"$ref\": \"#/components/schemas/Problem\"}"));
        Schema manifest = schemaOf(JSON.readTree("{\"$ref\": \"#/components/schemas/ResultManifest\"}"));

        assertThat(problem.validate(JSON.readTree("{\"type\": \"t\", \"title\": \"t\", \"status\": 400, \"detail\": \"d\", "
                + "\"code\": \"NO_SUCH_CODE\"}"))).isNotEmpty();
        assertThat(problem.validate(JSON.readTree("{\"type\": \"t\", \"title\": \"t\", \"status\": 400, \"detail\": \"d\"}")))
                .isNotEmpty();
        assertThat(manifest.validate(JSON.readTree("{\"job_id\": \"x\", \"disposition\": \"INLINE\"}"))).isNotEmpty();
    }

    @Test
    void anUnauthenticatedAnswerMatchesTheDocument() {
        EntityExchangeResult<byte[]> answer = client.get().uri("/v1/queries").exchange().expectBody().returnResult();

        conforms(HttpMethod.GET, "/v1/queries", answer);
    }

    /** Sends the request as acme, then checks its answer against the operation at {@code template}. */
    private EntityExchangeResult<byte[]> check(HttpMethod method, String template, String uri, String body, String idempotencyKey) {
        WebTestClient.RequestBodySpec request = client.method(method).uri(uri)
                .header("Authorization", "Bearer " + tokenFor(ACME))
                .header("X-Tenant-ID", ACME.value());
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        WebTestClient.ResponseSpec response = body == null ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
        EntityExchangeResult<byte[]> answer = response.expectBody().returnResult();
        clock.advance(Duration.ofMillis(10));
        conforms(method, template, answer);
        return answer;
    }

    private void conforms(HttpMethod method, String template, EntityExchangeResult<byte[]> answer) {
        String status = Integer.toString(answer.getStatus().value());
        String what = method.name() + " " + template + " " + status;
        JsonNode operation = spec.get("paths").get(template).get(method.name().toLowerCase());
        assertThat(operation).as("%s is in the document", template).isNotNull();
        JsonNode documented = operation.get("responses").get(status);
        assertThat(documented).as("%s: the status is documented", what).isNotNull();
        MediaType contentType = answer.getResponseHeaders().getContentType();
        assertThat(contentType).as("%s has a content type", what).isNotNull();
        String mediaType = contentType.getType() + "/" + contentType.getSubtype();
        JsonNode content = documented.get("content");
        assertThat(content == null ? List.of() : fieldNames(content)).as("%s: the content type is documented", what).contains(mediaType);
        Schema schema = schemaOf(content.get(mediaType).get("schema"));
        String text = new String(answer.getResponseBodyContent() == null ? new byte[0] : answer.getResponseBodyContent(),
                java.nio.charset.StandardCharsets.UTF_8);
        List<String> bodies = mediaType.equals(MediaType.TEXT_EVENT_STREAM_VALUE)
                ? text.lines().filter(line -> line.startsWith("data:")).map(line -> line.substring(5)).toList()
                : List.of(text);
        assertThat(bodies).as("%s has a body", what).isNotEmpty();
        for (String one : bodies) {
            List<Error> errors = schema.validate(JSON.readTree(one));
            assertThat(errors).as("%s: %s", what, one).isEmpty();
        }
        checked.add(what);
    }

    /** The operation's schema with the document's components beside it, so that its $refs resolve. */
    private Schema schemaOf(JsonNode schema) {
        ObjectNode whole = JSON.createObjectNode();
        whole.setAll((ObjectNode) schema);
        whole.set("components", spec.get("components"));
        return SCHEMAS.getSchema(whole);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    private static String jobIdOf(EntityExchangeResult<byte[]> answer) {
        return JSON.readTree(answer.getResponseBody()).get("job_id").asString();
    }
}
