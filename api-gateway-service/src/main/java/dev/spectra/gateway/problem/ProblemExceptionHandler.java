package dev.spectra.gateway.problem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Turns every error that reaches the web layer into a problem answer: the gateway's own
 * {@link ProblemException}s as they are, the framework's request errors as REQUEST_INVALID with their
 * status, and anything else as a 500 INTERNAL_ERROR whose details stay in the log. Ordered ahead of
 * Spring Boot's error handler so that no error ever leaves as an HTML or whitelabel body.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    private final ProblemWriter writer;

    public ProblemExceptionHandler(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        return writer.write(exchange, toProblem(exchange, error));
    }

    static Problem toProblem(ServerWebExchange exchange, Throwable error) {
        return switch (error) {
            case ProblemException problem -> problem.problem();
            case UnsupportedMediaTypeStatusException e -> Problems.requestInvalid(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported content type; send application/json.");
            case NotAcceptableStatusException e -> Problems.requestInvalid(HttpStatus.NOT_ACCEPTABLE,
                    "No acceptable representation; accept application/json.");
            case MethodNotAllowedException e -> withHeaders(Problems.requestInvalid(HttpStatus.METHOD_NOT_ALLOWED,
                    "Method " + e.getHttpMethod() + " is not allowed here."), e);
            case ServerWebInputException e -> Problems.requestInvalid("The request could not be read.");
            case ResponseStatusException e when e.getStatusCode().is4xxClientError() -> withHeaders(
                    Problems.requestInvalid(status(e.getStatusCode()), clientErrorDetail(e.getStatusCode())), e);
            default -> {
                log.error("unexpected error on {} {}", exchange.getRequest().getMethod(),
                        exchange.getRequest().getPath().pathWithinApplication().value(), error);
                yield Problems.internalError();
            }
        };
    }

    private static Problem withHeaders(Problem problem, ResponseStatusException e) {
        Problem withHeaders = problem;
        for (var header : e.getHeaders().headerSet()) {
            withHeaders = withHeaders.withHeader(header.getKey(), String.join(", ", header.getValue()));
        }
        return withHeaders;
    }

    private static HttpStatus status(HttpStatusCode code) {
        HttpStatus status = HttpStatus.resolve(code.value());
        return status == null ? HttpStatus.BAD_REQUEST : status;
    }

    private static String clientErrorDetail(HttpStatusCode code) {
        return code.value() == HttpStatus.NOT_FOUND.value() ? "No such resource." : "The request was rejected.";
    }
}
