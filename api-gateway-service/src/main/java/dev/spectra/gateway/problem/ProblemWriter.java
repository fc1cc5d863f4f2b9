package dev.spectra.gateway.problem;

import dev.spectra.common.error.ErrorCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.util.Optional;

/**
 * Writes a {@link Problem} as {@code application/problem+json}. The single writer for every error the
 * gateway answers, from filters, handlers and the security chain alike, so that all of them look the
 * same and are counted the same way.
 */
@Component
public class ProblemWriter {

    private static final String CODE_ATTRIBUTE = ProblemWriter.class.getName() + ".code";

    private final JsonMapper jsonMapper;

    public ProblemWriter(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    public Mono<Void> write(ServerWebExchange exchange, Problem problem) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(problem.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        problem.headers().forEach(response.getHeaders()::set);
        exchange.getAttributes().put(CODE_ATTRIBUTE, problem.code());
        return response.writeWith(Mono.fromSupplier(
                () -> response.bufferFactory().wrap(jsonMapper.writeValueAsBytes(problem.body()))));
    }

    /** The code of the problem answered on this exchange, if one was. */
    public static Optional<ErrorCode> answeredCode(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(CODE_ATTRIBUTE));
    }
}
