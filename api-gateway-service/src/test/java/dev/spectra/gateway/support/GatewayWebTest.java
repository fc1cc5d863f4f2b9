package dev.spectra.gateway.support;

import dev.spectra.common.testing.MutableClock;
import dev.spectra.common.testing.RecordingAuditTrail;

import dev.spectra.common.tenant.TenantId;
import dev.spectra.gateway.jobs.InMemoryJobStore;
import dev.spectra.gateway.jobs.RecordingJobQueue;
import dev.spectra.gateway.results.InMemoryResultObjects;
import dev.spectra.gateway.tenant.InMemoryTenantRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;

/**
 * The whole gateway on a random port, real security with real HS256 tokens, and in-memory fakes at
 * the DynamoDB, Kafka and S3 boundary. One application context for every web test; each test starts
 * with empty fakes and, the clock having moved an hour on, full rate-limit buckets.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spectra.gateway.auth.hmac-secret=" + Tokens.SECRET,
        "spectra.gateway.auth.issuer=" + Tokens.ISSUER,
        "spectra.gateway.auth.audience=" + Tokens.AUDIENCE,
        // never contacted: the stores are replaced by fakes
        "spectra.aws.region=us-east-1",
        "spectra.aws.endpoints.dynamodb=http://127.0.0.1:9",
        "spectra.aws.endpoints.s3=http://127.0.0.1:9",
        // the fake results bucket can be told to hang: tests wait this long for it
        "spectra.gateway.results.read-timeout=300ms",
        "spring.kafka.bootstrap-servers=127.0.0.1:9",
        // the job events reach the hub from the tests themselves (JobEventHub.accept), not from a broker
        "spring.kafka.listener.auto-startup=false",
        // long enough that a wait which ends promptly can only have ended on an event
        "spectra.gateway.queries.wait-fallback-read=30s",
        "spectra.gateway.queries.max-watches-per-tenant=3"})
@AutoConfigureWebTestClient
@Import(FakeBoundaries.class)
public abstract class GatewayWebTest {

    public static final TenantId ACME = TenantId.of("acme");
    public static final TenantId GLOBEX = TenantId.of("globex");
    /** Registered, but inactive. */
    public static final TenantId DORMANT = TenantId.of("dormant");
    /** Not in the registry. */
    public static final TenantId UNKNOWN = TenantId.of("unknown-co");

    @Autowired
    protected WebTestClient client;
    @Autowired
    protected MutableClock clock;
    @Autowired
    protected InMemoryJobStore jobs;
    @Autowired
    protected RecordingJobQueue queue;
    @Autowired
    protected InMemoryTenantRegistry tenants;
    @Autowired
    protected InMemoryResultObjects results;
    @Autowired
    protected MeterRegistry meters;
    @Autowired
    protected RecordingAuditTrail audit;
    @Autowired
    protected dev.spectra.gateway.events.JobEventHub events;

    protected Tokens tokens;

    @BeforeEach
    void startFromACleanSlate() {
        jobs.reset();
        queue.reset();
        results.reset();
        audit.reset();
        tenants.failWith(null);
        clock.advance(Duration.ofHours(1));
        tokens = new Tokens(clock);
    }

    protected String tokenFor(TenantId tenant) {
        return tokens.forTenant(tenant.value()).mint();
    }

    protected WebTestClient.ResponseSpec submit(TenantId tenant, String jsonBody) {
        return client.post().uri("/v1/queries")
                .headers(headers -> {
                    headers.setBearerAuth(tokenFor(tenant));
                    headers.set("X-Tenant-ID", tenant.value());
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(jsonBody)
                .exchange();
    }

    protected WebTestClient.ResponseSpec get(TenantId tenant, String path) {
        return client.get().uri(path)
                .headers(headers -> {
                    headers.setBearerAuth(tokenFor(tenant));
                    headers.set("X-Tenant-ID", tenant.value());
                })
                .exchange();
    }

    protected double count(String meter, String outcome) {
        return meters.find(meter).tag("outcome", outcome).counters().stream().mapToDouble(Counter::count).sum();
    }
}
