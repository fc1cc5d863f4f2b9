package dev.spectra.gateway.jobs;

import dev.spectra.gateway.config.GatewayProperties;
import dev.spectra.gateway.problem.ProblemException;
import org.junit.jupiter.api.Test;
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
