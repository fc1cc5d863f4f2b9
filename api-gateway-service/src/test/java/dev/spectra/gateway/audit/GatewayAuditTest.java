package dev.spectra.gateway.audit;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import java.net.InetSocketAddress;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayAuditTest {

    private final GatewayAudit trusting = new GatewayAudit(record -> {}, Clock.systemUTC(), new AuditProperties(true));

    @Test
    void behindATrustedProxyTheSourceIsTheAddressItAppendedNotOneTheClientWrote() {
        MockServerHttpRequest request = MockServerHttpRequest.get("/v1/queries")
                .remoteAddress(new InetSocketAddress("10.0.0.5", 40000))
                .header("X-Forwarded-For", "198.51.100.1, 203.0.113.9").build();

        assertThat(trusting.source(request)).isEqualTo("203.0.113.9");
    }

    @Test
    void aForwardedValueThatIsNoAddressFallsBackToThePeer() {
        MockServerHttpRequest request = MockServerHttpRequest.get("/v1/queries")
                .remoteAddress(new InetSocketAddress("10.0.0.5", 40000))
                .header("X-Forwarded-For", "<script>").build();

        assertThat(trusting.source(request)).isEqualTo("10.0.0.5");
    }

    @Test
    void operationsComeFromAFixedList() {
        assertThat(GatewayAudit.operation(MockServerHttpRequest.post("/v1/queries").build())).isEqualTo("submit");
        assertThat(GatewayAudit.operation(MockServerHttpRequest.get("/v1/queries").build())).isEqualTo("list");
        assertThat(GatewayAudit.operation(MockServerHttpRequest.get("/v1/queries/x").build())).isEqualTo("status");
        assertThat(GatewayAudit.operation(MockServerHttpRequest.delete("/v1/queries/x").build())).isEqualTo("cancel");
        assertThat(GatewayAudit.operation(MockServerHttpRequest.post("/v1/queries/x/cancel").build())).isEqualTo("cancel");
        assertThat(GatewayAudit.operation(MockServerHttpRequest.get("/v1/queries/x/events").build())).isEqualTo("events");
        assertThat(GatewayAudit.operation(MockServerHttpRequest.get("/v1/queries/x/results").build())).isEqualTo("results");
        assertThat(GatewayAudit.operation(MockServerHttpRequest.get("/v1/queries/x/results/chunks/0").build())).isEqualTo("chunk");
        assertThat(GatewayAudit.operation(MockServerHttpRequest.get("/admin/" + "a".repeat(1000)).build())).isEqualTo("other");
    }
}
