package dev.spectra.gateway.audit;

import dev.spectra.gateway.problem.ProblemWriter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import static java.util.Objects.requireNonNull;

/**
 * Records every refusal: whichever layer answered the request with a problem (the security chain's 401, the tenant
 * filter's 403, the rate limit's 429, a handler's 400, 404, 409 or 422, a 503), the answer is audited as it is
 * committed. Runs ahead of everything else so that no refusal escapes it. Accepted submissions and cancels are
 * recorded by their handlers ({@link GatewayAudit#accepted}, {@link GatewayAudit#cancelled}), where the job is known.
 */
public final class AuditFilter implements WebFilter, Ordered {

    /** Ahead of the submission metrics (-200) and Spring Security (-100). */
    public static final int ORDER = -300;

    private final GatewayAudit audit;

    public AuditFilter(GatewayAudit audit) {
        this.audit = requireNonNull(audit, "audit is null");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(() -> ProblemWriter.answeredCode(exchange)
                .ifPresent(code -> audit.refused(exchange, exchange.getResponse().getStatusCode(), code))));
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
