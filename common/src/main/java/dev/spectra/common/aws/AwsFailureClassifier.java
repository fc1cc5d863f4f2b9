package dev.spectra.common.aws;

import dev.spectra.common.aws.Verdict.Kind;
import dev.spectra.common.error.ErrorCode;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.Crc32MismatchException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The one place that decides what a failed call to the Data API or DynamoDB means for both workers:
 * retry it (throttled or transient), send it to another session, or give up with which {@link ErrorCode}.
 * Callers only act on the {@link Verdict}; they do not catch SDK exception types themselves.
 *
 * <p>Service errors are told apart by {@link AwsErrorDetails#errorCode()}, the string the service sends,
 * not by the SDK's generated exception classes: this module has no Data API dependency, and a code
 * means the same whichever client raised it. Both services use {@code ValidationException} and
 * {@code ResourceNotFoundException}, so the {@link Dependency} called decides what those mean: from the
 * warehouse they are about the statement (it failed, or its result is gone: {@code QUERY_FAILED}); from
 * the job store they mean our request or our table is wrong ({@code INTERNAL_ERROR}).
 * A service exception without error details (the SDK always fills them in; a hand-built fake may not)
 * is judged by its HTTP status alone.
 *
 * <p><b>Client-side failures.</b> An {@link SdkClientException} is raised by the SDK itself, without an
 * answer from the service. Only some of them can heal by waiting: the network (an {@link IOException} or
 * a {@link TimeoutException} anywhere in its causes: refused or reset connections, unknown hosts, read
 * timeouts; the SDK's netty client wraps its own timeouts in {@code IOException}), the SDK's call and
 * attempt timeouts, a response corrupted on the wire, and what the SDK marks retryable itself. All of
 * those are TRANSIENT. Every other client exception is FATAL with {@code INTERNAL_ERROR}: a request the
 * SDK refused to marshal, a missing required parameter, credentials that no provider is configured to
 * supply. The same call would fail the same way after any backoff, and retrying it until a deadline
 * would only delay the job's end and hide a bug or a misconfiguration from the operator. (The query
 * worker used to retry every client exception, the delivery worker only I/O; this is the delivery
 * worker's rule, widened to timeouts.) Credentials fetched from the instance metadata service are the
 * exception that proves the rule: when that fetch fails on the network, the cause chain holds the
 * {@code IOException}, and the verdict is TRANSIENT.
 *
 * <p>An {@link AbortedException} means the calling thread was interrupted, normally because the worker
 * is shutting down. It is TRANSIENT: the call did not fail, and the caller's next backoff pause sees the
 * interrupt and stops; ending the job for it would fail work that another worker can finish.
 *
 * <p>Stateless and thread-safe.
 */
public final class AwsFailureClassifier {

    /** Said to tenants instead of exception text, which may carry SQL values or host names. */
    static final String INTERNAL_ERROR_MESSAGE = "internal error";
    static final String CONNECTION_FAILED = "the connection failed";
    static final String NO_ANSWER_IN_TIME = "no answer in time";
    static final String INTERRUPTED = "the call was interrupted";

    /** Too much at once: Data API limits on statements, sessions and queued requests; DynamoDB capacity. */
    private static final Set<String> THROTTLING_CODES = Set.of(
            "ThrottlingException",
            "ActiveStatementsExceededException",
            "ActiveSessionsExceededException",
            "ActiveWaitingRequestsExceededException",
            "ProvisionedThroughputExceededException",
            "RequestLimitExceeded",
            "SlowDown");

    /** Outages on the service's side. */
    private static final Set<String> TRANSIENT_CODES = Set.of(
            "InternalServerException",
            "InternalServerError",
            "ServiceUnavailable",
            "InternalError",
            "DatabaseConnectionException",
            "QueryTimeoutException",
            "TransactionConflictException");

    /** From the warehouse: the statement failed or its result is gone, which repeating cannot change. */
    private static final Set<String> STATEMENT_FAILURE_CODES = Set.of(
            "ValidationException",
            "ExecuteStatementException",
            "BatchExecuteStatementException",
            "ResourceNotFoundException");

    private static final int MAX_CAUSE_DEPTH = 32;

    private static final String VALIDATION_EXCEPTION = "ValidationException";

    /** What {@code AwsServiceException.getMessage()} appends to the service's message. */
    private static final Pattern SDK_DECORATION = Pattern.compile("\\s*\\((Service|Status Code|Request ID):.*\\)\\s*$");

    /** The verdict on a failed call to {@code dependency}; {@link Kind#SESSION_REFUSED} is never the answer here. */
    public Verdict classify(Throwable failure, Dependency dependency) {
        requireNonNull(dependency, "dependency is null");
        return classify(unwrap(failure), dependency, false);
    }

    /**
     * The verdict on a failed ExecuteStatement sent to a warm session ({@code SessionId} set). Only on such a
     * call does a {@code ValidationException} that mentions the session mean the session (expired, closed,
     * busy with another statement) rather than the statement: then the verdict is {@link Kind#SESSION_REFUSED}.
     */
    public Verdict classifyExecuteOnSession(Throwable failure) {
        return classify(unwrap(failure), Dependency.WAREHOUSE, true);
    }

    /**
     * How a failed call ended, for {@code spectra.aws.calls}: by the same throttling codes and network causes as the
     * verdicts, but naming what happened rather than what to do about it. A failed condition is a
     * {@link CallOutcome#CLIENT_ERROR} like any other 4xx; an interrupted call (shutdown) is one too.
     */
    public CallOutcome outcomeOf(Throwable failure) {
        return switch (unwrap(failure)) {
            case AwsServiceException e when THROTTLING_CODES.contains(errorCode(e)) || e.isThrottlingException() -> CallOutcome.THROTTLED;
            case SdkServiceException e when e.isThrottlingException() -> CallOutcome.THROTTLED;
            case SdkServiceException e when e.statusCode() >= 500 -> CallOutcome.SERVER_ERROR;
            case SdkServiceException e -> CallOutcome.CLIENT_ERROR;
            case ApiCallTimeoutException e -> CallOutcome.TIMEOUT;
            case ApiCallAttemptTimeoutException e -> CallOutcome.TIMEOUT;
            case AbortedException e -> CallOutcome.CLIENT_ERROR;
            case SdkClientException e when hasNetworkCause(e) && hasTimeoutCause(e) -> CallOutcome.TIMEOUT;
            case Crc32MismatchException e -> CallOutcome.IO_ERROR;
            case RetryableException e -> CallOutcome.IO_ERROR;
            case SdkClientException e when hasNetworkCause(e) -> CallOutcome.IO_ERROR;
            case UncheckedIOException e -> CallOutcome.IO_ERROR;
            case IOException e -> CallOutcome.IO_ERROR;
            default -> CallOutcome.CLIENT_ERROR;
        };
    }

    private static Verdict classify(Throwable cause, Dependency dependency, boolean executeOnSession) {
        return switch (cause) {
            case AwsServiceException e -> classifyService(e, errorCode(e), dependency, executeOnSession);
            case SdkServiceException e when e.isThrottlingException() -> new Verdict(Kind.THROTTLED, dependency.unavailable(), messageOf(e));
            case SdkServiceException e when e.statusCode() >= 500 -> new Verdict(Kind.TRANSIENT, dependency.unavailable(), messageOf(e));
            case SdkServiceException e -> fatal(ErrorCode.INTERNAL_ERROR, messageOf(e));
            case ApiCallTimeoutException e -> new Verdict(Kind.TRANSIENT, dependency.unavailable(), NO_ANSWER_IN_TIME);
            case ApiCallAttemptTimeoutException e -> new Verdict(Kind.TRANSIENT, dependency.unavailable(), NO_ANSWER_IN_TIME);
            case AbortedException e -> new Verdict(Kind.TRANSIENT, dependency.unavailable(), INTERRUPTED);
            case Crc32MismatchException e -> new Verdict(Kind.TRANSIENT, dependency.unavailable(), CONNECTION_FAILED);
            case RetryableException e -> new Verdict(Kind.TRANSIENT, dependency.unavailable(), CONNECTION_FAILED);
            case SdkClientException e when hasNetworkCause(e) -> new Verdict(Kind.TRANSIENT, dependency.unavailable(),
                    hasTimeoutCause(e) ? NO_ANSWER_IN_TIME : CONNECTION_FAILED);
            case SdkClientException e -> fatal(ErrorCode.INTERNAL_ERROR, INTERNAL_ERROR_MESSAGE);
            case UncheckedIOException e -> new Verdict(Kind.TRANSIENT, dependency.unavailable(), CONNECTION_FAILED);
            default -> fatal(ErrorCode.INTERNAL_ERROR, INTERNAL_ERROR_MESSAGE);
        };
    }

    private static Verdict classifyService(AwsServiceException e, String code, Dependency dependency, boolean executeOnSession) {
        String message = messageOf(e);
        if (THROTTLING_CODES.contains(code) || e.isThrottlingException()) {
            return new Verdict(Kind.THROTTLED, dependency.unavailable(), message);
        }
        if (executeOnSession && VALIDATION_EXCEPTION.equals(code) && message.toLowerCase(Locale.ROOT).contains("session")) {
            return new Verdict(Kind.SESSION_REFUSED, ErrorCode.WAREHOUSE_UNAVAILABLE, message);
        }
        if (dependency == Dependency.WAREHOUSE && STATEMENT_FAILURE_CODES.contains(code)) {
            return fatal(ErrorCode.QUERY_FAILED, message);
        }
        if (TRANSIENT_CODES.contains(code) || e.statusCode() >= 500) {
            return new Verdict(Kind.TRANSIENT, dependency.unavailable(), message);
        }
        // Access denied, a missing table, a request the service rejects: our deployment or our code is wrong.
        return fatal(ErrorCode.INTERNAL_ERROR, message);
    }

    private static Verdict fatal(ErrorCode code, String message) {
        return new Verdict(Kind.FATAL, code, message);
    }

    private static String errorCode(AwsServiceException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        return details == null || details.errorCode() == null ? "" : details.errorCode();
    }

    /** The service's own message, without the SDK's "(Service: …, Status Code: …, Request ID: …)". */
    private static String messageOf(SdkServiceException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            String message = aws.awsErrorDetails().errorMessage();
            if (message != null && !message.isBlank()) {
                return message;
            }
        }
        String message = e.getMessage() == null ? "" : SDK_DECORATION.matcher(e.getMessage()).replaceFirst("");
        if (!message.isBlank()) {
            return message;
        }
        if (e instanceof AwsServiceException aws && !errorCode(aws).isEmpty()) {
            return errorCode(aws);
        }
        return "status " + e.statusCode();
    }

    private static boolean hasNetworkCause(Throwable failure) {
        return anyCause(failure, cause -> cause instanceof IOException || cause instanceof UncheckedIOException
                || cause instanceof TimeoutException);
    }

    private static boolean hasTimeoutCause(Throwable failure) {
        // SocketTimeoutException and Apache's ConnectTimeoutException are InterruptedIOExceptions.
        return anyCause(failure, cause -> cause instanceof InterruptedIOException || cause instanceof TimeoutException);
    }

    /** Bounded, because a cause chain can be a cycle. */
    private static boolean anyCause(Throwable failure, Predicate<Throwable> test) {
        Throwable cause = failure.getCause();
        for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH; depth++, cause = cause.getCause()) {
            if (test.test(cause)) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = requireNonNull(failure, "failure is null");
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
