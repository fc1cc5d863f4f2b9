package dev.spectra.gateway.jobs;

import dev.spectra.common.tenant.Tenant;
import dev.spectra.gateway.problem.ProblemWriter;
import dev.spectra.gateway.tenant.ActiveTenantFilter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import static java.util.Objects.requireNonNull;

/**
 * Counts every query submission by outcome ({@code spectra.gateway.submissions}, tag {@code outcome}:
 * {@code accepted} or the problem code), whichever layer answered it: the security chain, the tenant
 * and rate-limit filters, or the handler. It runs before all of them and reads the outcome when the
 * response is committed.
 *
 * <p>{@code tenant} is the tenant the tenant filter admitted, so the tenant registry bounds it (a few hundred
 * tenants, each a series per outcome it met); a submission refused before that is {@code tenant="none"}.
 */
public final class SubmissionMetricsFilter implements WebFilter, Ordered {

    /** Ahead of Spring Security (-100), so that authentication failures are counted too. */
    public static final int ORDER = -200;

    private static final String SUBMISSIONS_PATH = "/v1/queries";
    /** The {@code tenant} of a submission refused before its tenant was admitted. */
    static final String NO_TENANT = "none";

    private final MeterRegistry meters;

    public SubmissionMetricsFilter(MeterRegistry meters) {
        this.meters = requireNonNull(meters, "meters is null");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (HttpMethod.POST.equals(exchange.getRequest().getMethod())
                && SUBMISSIONS_PATH.equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
            exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(() -> counter(outcome(exchange), tenant(exchange)).increment()));
        }
        return chain.filter(exchange);
    }

    private static String outcome(ServerWebExchange exchange) {
        return ProblemWriter.answeredCode(exchange)
                .map(Enum::name)
                .orElseGet(() -> HttpStatus.ACCEPTED.equals(exchange.getResponse().getStatusCode()) ? "accepted" : "other");
    }

    /**
     * The tenant the tenant filter admitted (one of the registry's), or {@value #NO_TENANT} for a submission refused
     * before that: the header's value is never a tag, so a request cannot add series.
     */
    private static String tenant(ServerWebExchange exchange) {
        Tenant tenant = exchange.getAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE);
        return tenant == null ? NO_TENANT : tenant.id().value();
    }

    private Counter counter(String outcome, String tenant) {
        return Counter.builder("spectra.gateway.submissions")
                .description("Query submissions by outcome (accepted, or the problem code they were refused with) and admitted tenant")
                .tags("outcome", outcome, "tenant", tenant)
                .register(meters);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
