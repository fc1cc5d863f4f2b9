package dev.spectra.gateway.auth;

import dev.spectra.gateway.problem.ProblemWriter;
import dev.spectra.gateway.problem.Problems;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.resource.BearerTokenErrorCodes;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import static java.util.Objects.requireNonNull;

/**
 * Answers a missing or unusable bearer token with 401 UNAUTHENTICATED as problem+json, with the
 * RFC 6750 {@code WWW-Authenticate} challenge. Always 401, also for a malformed Authorization header
 * (which RFC 6750 would answer with 400): for a client both mean "no valid token".
 */
public final class ProblemAuthenticationEntryPoint implements ServerAuthenticationEntryPoint {

    private final ProblemWriter writer;

    public ProblemAuthenticationEntryPoint(ProblemWriter writer) {
        this.writer = requireNonNull(writer, "writer is null");
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
        if (failure instanceof OAuth2AuthenticationException oauth) {
            OAuth2Error error = oauth.getError();
            String code = BearerTokenErrorCodes.INVALID_REQUEST.equals(error.getErrorCode())
                    ? BearerTokenErrorCodes.INVALID_REQUEST
                    : BearerTokenErrorCodes.INVALID_TOKEN;
            String challenge = "Bearer error=\"" + code + "\""
                    + (error.getDescription() == null ? "" : ", error_description=\"" + quotable(error.getDescription()) + "\"");
            return writer.write(exchange, Problems.unauthenticated("The bearer token is invalid or expired.", challenge));
        }
        return writer.write(exchange, Problems.unauthenticated("A bearer token is required.", "Bearer"));
    }

    /** A header quoted-string may not contain quotes, backslashes or control characters. */
    private static String quotable(String text) {
        return text.replaceAll("[\"\\\\\\p{Cntrl}]", "'");
    }
}
