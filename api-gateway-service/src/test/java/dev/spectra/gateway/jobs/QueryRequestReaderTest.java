package dev.spectra.gateway.jobs;

import dev.spectra.common.statement.JobOptions;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.DeliveryOptions;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.gateway.config.GatewayProperties;
import dev.spectra.gateway.problem.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.util.unit.DataSize;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class QueryRequestReaderTest {

    private final QueryRequestReader reader = new QueryRequestReader(JsonMapper.builder().build(),
            new GatewayProperties(DataSize.ofKilobytes(1), 50, Duration.ofSeconds(2), Duration.ofDays(7), Duration.ofSeconds(30)));

    @Test
    void readsTheSql() {
        StepVerifier.create(reader.read(body("{\"sql\": \"SELECT 1\"}")))
                .expectNext(new QueryRequest("SELECT 1"))
                .verifyComplete();
    }

    @Test
    void deliversTheDefaultsWhenOnlySqlIsGiven() {
        StepVerifier.create(reader.read(body("{\"sql\": \"SELECT 1\"}")))
                .assertNext(request -> assertThat(request.delivery()).isEqualTo(DeliveryOptions.DEFAULT))
                .verifyComplete();
    }

    @Test
    void readsEveryDeliveryField() {
        StepVerifier.create(reader.read(body("""
                        {"sql": "SELECT 1", "disposition": "EXTERNAL_LINKS", "format": "CSV", "compression": "GZIP",
                         "row_limit": 1000, "byte_limit": 9223372036854775807}""")))
                .expectNext(new QueryRequest("SELECT 1", new DeliveryOptions(Disposition.EXTERNAL_LINKS, ResultFormat.CSV,
                        Compression.GZIP, 1000L, Long.MAX_VALUE), JobOptions.NONE, QueryRequest.Wait.NONE))
                .verifyComplete();
    }

    @Test
    void takesANullDeliveryFieldAsAbsent() {
        StepVerifier.create(reader.read(body("{\"sql\": \"SELECT 1\", \"format\": null, \"row_limit\": null}")))
                .assertNext(request -> assertThat(request.delivery()).isEqualTo(DeliveryOptions.DEFAULT))
                .verifyComplete();
    }

    @Test
    void refusesAnUnknownFormatNamingTheAllowedValues() {
        expectInvalid("{\"sql\": \"SELECT 1\", \"format\": \"XML\"}",
                "Field 'format' must be one of JSON_ARRAY, JSON_LINES, CSV, PARQUET.");
    }

    @Test
    void refusesALowerCaseValueAndSaysValuesAreCaseSensitive() {
        expectInvalid("{\"sql\": \"SELECT 1\", \"format\": \"csv\"}", "case-sensitive: write CSV");
    }

    @Test
    void refusesAnUnknownDispositionNamingTheAllowedValues() {
        expectInvalid("{\"sql\": \"SELECT 1\", \"disposition\": \"EMAIL\"}",
                "Field 'disposition' must be one of INLINE, EXTERNAL_LINKS, AUTO.");
    }

    @Test
    void refusesACompressionThatIsNotAString() {
        expectInvalid("{\"sql\": \"SELECT 1\", \"compression\": true}", "Field 'compression' must be one of NONE, GZIP.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"10\"", "10.0", "1e3", "true", "-5", "0", "9223372036854775808", "[1]", "{}"})
    void refusesARowLimitThatIsNotAPositiveJsonInteger(String value) {
        expectInvalid("{\"sql\": \"SELECT 1\", \"row_limit\": " + value + "}", "Field 'row_limit' must be a positive JSON integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"10\"", "2.5", "false", "-1", "0", "99999999999999999999"})
    void refusesAByteLimitThatIsNotAPositiveJsonInteger(String value) {
        expectInvalid("{\"sql\": \"SELECT 1\", \"byte_limit\": " + value + "}", "Field 'byte_limit' must be a positive JSON integer");
    }

    @Test
    void refusesInlineCsvWithTheContractsWords() {
        expectInvalid("{\"sql\": \"SELECT 1\", \"disposition\": \"INLINE\", \"format\": \"CSV\"}",
                DeliveryOptions.problemWith(Disposition.INLINE, ResultFormat.CSV, Compression.NONE, null, null));
    }

    @Test
    void refusesCompressedInlineResults() {
        expectInvalid("{\"sql\": \"SELECT 1\", \"disposition\": \"INLINE\", \"compression\": \"GZIP\"}",
                "Disposition INLINE is not compressed");
    }

    @Test
    void refusesParquetCutAtAByteCount() {
        expectInvalid("{\"sql\": \"SELECT 1\", \"format\": \"PARQUET\", \"byte_limit\": 1000}", "use 'row_limit'");
    }

    @Test
    void refusesAnUnknownFieldListingTheAllowedOnes() {
        expectInvalid("{\"sql\": \"SELECT 1\", \"limit\": 5}",
                "Unknown field 'limit'; the fields are 'sql', 'disposition', 'format', 'compression', 'row_limit', 'byte_limit', "
                        + "'name', 'tags', 'timeout_seconds', 'parameters', 'wait_seconds', 'on_wait_timeout'.");
    }

    @Test
    void refusesContentAfterTheObject() {
        expectInvalid("{\"sql\": \"SELECT 1\"} {\"sql\": \"DROP TABLE sales\"}", "not valid JSON");
    }

    @Test
    void refusesADuplicatedSqlField() {
        expectInvalid("{\"sql\": \"SELECT 1\", \"sql\": \"DROP TABLE sales\"}", "not valid JSON");
    }

    @Test
    void refusesNullSql() {
        expectInvalid("{\"sql\": null}", "'sql' is required");
    }

    @Test
    void refusesABodyOverTheLimitWithoutReadingPastIt() {
        expectInvalid("{\"sql\": \"SELECT 1 --" + "x".repeat(2000) + "\"}", "larger than 1024 bytes");
    }

    @Test
    void keepsEchoedFieldNamesShort() {
        StepVerifier.create(reader.read(body("{\"" + "f".repeat(500) + "\": 1}")))
                .expectErrorSatisfies(error -> assertThat(((ProblemException) error).problem().detail()).hasSizeLessThan(300))
                .verify();
    }

    private void expectInvalid(String json, String detailPart) {
        StepVerifier.create(reader.read(body(json)))
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.problem().code().name()).isEqualTo("REQUEST_INVALID");
                    assertThat(problem.problem().detail()).contains(detailPart);
                }))
                .verify();
    }

    private static MockServerHttpRequest body(String json) {
        return MockServerHttpRequest.post("/v1/queries").contentType(MediaType.APPLICATION_JSON).body(json);
    }
}
