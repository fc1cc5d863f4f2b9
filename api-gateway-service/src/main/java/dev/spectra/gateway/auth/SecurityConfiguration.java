package dev.spectra.gateway.auth;

import dev.spectra.gateway.problem.Problem;
import dev.spectra.gateway.problem.ProblemWriter;
import dev.spectra.gateway.problem.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

import java.time.Clock;

/**
 * Stateless bearer-token security: every request but health, metrics and the OpenAPI document needs a valid JWT; there
 * are no sessions, cookies, CSRF tokens or login pages. The authenticated principal's name is the
 * token's tenant claim.
 *
 * <p>Actuator health (with the liveness and readiness probes) and prometheus are open: this chain also guards the
 * management server, which listens on {@code management.server.port} (8081), a port the load balancer does not
 * route to. The API's port has no actuator at all ({@code ManagementPortTest}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder, AuthProperties auth,
                                       ProblemWriter problemWriter) {
        ProblemAuthenticationEntryPoint entryPoint = new ProblemAuthenticationEntryPoint(problemWriter);
        ReactiveJwtAuthenticationConverter tenantPrincipal = new ReactiveJwtAuthenticationConverter();
        tenantPrincipal.setPrincipalClaimName(auth.tenantClaim());
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**", "/actuator/prometheus")
                        .permitAll()
                        // The API's contract is public; every operation in it still needs a token.
                        .pathMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml",
                                "/swagger-ui.html", "/swagger-ui/**", "/webjars/swagger-ui/**")
                        .permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.jwtDecoder(jwtDecoder).jwtAuthenticationConverter(tenantPrincipal))
                        .authenticationEntryPoint(entryPoint))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint))
                .build();
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(AuthProperties auth, Clock clock) {
        return JwtDecoding.decoder(auth, clock);
    }

    /** Requests the firewall refuses (encoded slashes, "..", semicolons in the path) get a problem body too. */
    @Bean
    ServerExchangeRejectedHandler problemExchangeRejectedHandler(ProblemWriter problemWriter) {
        Problem rejected = Problems.requestInvalid("The request path or headers are not acceptable.");
        return (exchange, rejection) -> problemWriter.write(exchange, rejected);
    }
}
