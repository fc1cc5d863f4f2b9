package dev.spectra.gateway.audit;

import dev.spectra.common.audit.AuditRecord;
import org.springframework.core.Ordered;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Notes who a valid token names ({@link GatewayAudit#ACTOR_ATTRIBUTE}) for the audit records of the request: its
 * subject, and the client it was issued to ({@code azp}, else {@code client_id}). Runs right after Spring Security
 * (-100), inside which the principal is known; nothing else of the token is kept.
 */
public final class AuditActorFilter implements WebFilter, Ordered {

    public static final int ORDER = -50;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return exchange.getPrincipal()
                .doOnNext(principal -> {
                    if (principal instanceof JwtAuthenticationToken authentication) {
                        exchange.getAttributes().put(GatewayAudit.ACTOR_ATTRIBUTE, actor(authentication.getToken()));
                    }
                })
                .then(chain.filter(exchange));
    }

    static AuditRecord.Actor actor(Jwt token) {
        String clientId = token.getClaimAsString("azp");
        return new AuditRecord.Actor(token.getSubject(), clientId != null ? clientId : token.getClaimAsString("client_id"));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
