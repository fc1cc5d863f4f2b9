package dev.spectra.gateway.ratelimit;

import dev.spectra.gateway.support.GatewayWebTest;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitTest extends GatewayWebTest {

    private static final String QUERY = "{\"sql\": \"SELECT 1\"}";
    private static final int CAPACITY = 20;

    @Test
    void refusesSubmissionsBeyondTheBurstWithRetryAfter() {
        double limitedBefore = limitedCount();
        for (int i = 1; i <= CAPACITY; i++) {
            submit(ACME, QUERY).expectStatus().isAccepted()
                    .expectHeader().valueEquals("X-RateLimit-Remaining", Integer.toString(CAPACITY - i));
        }

        submit(ACME, QUERY)
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("Retry-After", "1")
                .expectHeader().valueEquals("X-RateLimit-Remaining", "0")
                .expectBody()
                .jsonPath("$.code").isEqualTo("RATE_LIMITED")
                .jsonPath("$.status").isEqualTo(429);

        assertThat(jobs.all()).hasSize(CAPACITY);
        assertThat(limitedCount()).isEqualTo(limitedBefore + 1);
    }

    @Test
    void admitsSubmissionsAgainOnceTheBucketRefills() {
        exhaust();
        submit(ACME, QUERY).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

        clock.advance(Duration.ofMillis(100));

        submit(ACME, QUERY).expectStatus().isAccepted();
    }

    @Test
    void limitsEachTenantSeparately() {
        exhaust();

        submit(GLOBEX, QUERY).expectStatus().isAccepted();
    }

    @Test
    void doesNotLimitStatusLookups() {
        exhaust();

        get(ACME, "/v1/queries/" + UUID.randomUUID()).expectStatus().isNotFound();
    }

    private void exhaust() {
        for (int i = 0; i < CAPACITY; i++) {
            submit(ACME, QUERY).expectStatus().isAccepted();
        }
    }

    private double limitedCount() {
        Counter counter = meters.find("spectra.gateway.rate.limited").tag("tenant", ACME.value()).counter();
        return counter == null ? 0 : counter.count();
    }
}
