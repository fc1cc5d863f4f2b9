package dev.spectra.gateway.audit;

import dev.spectra.common.audit.AuditRecord;
import dev.spectra.common.audit.AuditTrail;
import dev.spectra.common.error.ErrorCode;
import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.tenant.Tenant;
import dev.spectra.gateway.tenant.ActiveTenantFilter;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The gateway's decisions as audit records, each built from its exchange: who the token named
 * ({@link AuditActorFilter}), the tenant (verified by {@link ActiveTenantFilter}, else the {@code X-Tenant-ID} as
 * claimed), the SQL's fingerprint (put there by the handler that read the body), the client's address, the answer.
 * Recording never fails the request: a record that cannot be built is logged and skipped.
 */
public final class GatewayAudit {

    /** Exchange attribute: the {@link AuditRecord.Actor} of the request's valid token. */
    public static final String ACTOR_ATTRIBUTE = "spectra.audit.actor";
    /** Exchange attribute: {@link AuditRecord#sqlFingerprint} of the SQL the request submitted. */
    public static final String SQL_SHA256_ATTRIBUTE = "spectra.audit.sql-sha256";

    private static final Logger log = LoggerFactory.getLogger(GatewayAudit.class);
    private static final String QUERIES = "/v1/queries";
    /** An IPv4 or IPv6 literal's characters; anything else in X-Forwarded-For is not an address. */
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final AuditTrail trail;
    private final Clock clock;
    private final AuditProperties properties;

    public GatewayAudit(AuditTrail trail, Clock clock, AuditProperties properties) {
        this.trail = requireNonNull(trail, "trail is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.properties = requireNonNull(properties, "properties is null");
    }

    /** The request was answered with a problem ({@code status}, {@code code}): nothing it asked for was done. */
    public void refused(ServerWebExchange exchange, HttpStatusCode status, ErrorCode code) {
        record(exchange, AuditRecord.Decision.REFUSED, () -> request(exchange, AuditRecord.Decision.REFUSED)
                .withJob(pathJobId(exchange.getRequest()), null)
                .withStatus(status == null ? null : status.value())
                .withErrorCode(code.name()));
    }

    /** The submission's job is recorded and queued; {@code replayed}: it is the idempotency key's earlier job. */
    public void accepted(ServerWebExchange exchange, Job job, boolean replayed) {
        record(exchange, AuditRecord.Decision.ACCEPTED, () -> request(exchange, AuditRecord.Decision.ACCEPTED)
                .withJob(job.jobId(), job.status())
                .withIdempotentReplay(replayed));
    }

    /** The request's client cancelled {@code cancelled}, which is now CANCELLED. */
    public void cancelled(ServerWebExchange exchange, Job cancelled) {
        record(exchange, AuditRecord.Decision.CANCELLED, () -> request(exchange, AuditRecord.Decision.CANCELLED)
                .withJob(cancelled.jobId(), cancelled.status())
                .withErrorCode(cancelled.error() == null ? null : cancelled.error().code())
                .withStatus(200));
    }

    private void record(ServerWebExchange exchange, AuditRecord.Decision decision, java.util.function.Supplier<AuditRecord> record) {
        try {
            trail.record(record.get());
        } catch (RuntimeException e) {
            log.error("could not write the audit record of a {} decision on request {}", decision, exchange.getRequest().getId(), e);
        }
    }

    private AuditRecord request(ServerWebExchange exchange, AuditRecord.Decision decision) {
        ServerHttpRequest request = exchange.getRequest();
        return AuditRecord.of(decision, clock.instant())
                .withOperation(operation(request))
                .withActor(exchange.getAttribute(ACTOR_ATTRIBUTE))
                .withTenant(tenant(exchange))
                .withSqlSha256(exchange.getAttribute(SQL_SHA256_ATTRIBUTE))
                .withSource(source(request))
                .withRequestId(request.getId())
                .withTraceId(traceId(exchange));
    }

    private static AuditRecord.Tenant tenant(ServerWebExchange exchange) {
        Tenant verified = exchange.getAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE);
        return verified != null ? AuditRecord.Tenant.verified(verified.id())
                : AuditRecord.Tenant.claimed(exchange.getRequest().getHeaders().getFirst(ActiveTenantFilter.TENANT_HEADER));
    }

    /** The connection's peer, or with {@code trust-forwarded-for} the last address the proxy appended. */
    String source(ServerHttpRequest request) {
        if (properties.trustForwardedFor()) {
            List<String> forwarded = request.getHeaders().get("X-Forwarded-For");
            if (forwarded != null && !forwarded.isEmpty()) {
                String last = forwarded.getLast();
                String nearest = last.substring(last.lastIndexOf(',') + 1).trim();
                if (ADDRESS.matcher(nearest).matches()) {
                    return nearest;
                }
            }
        }
        InetSocketAddress peer = request.getRemoteAddress();
        if (peer == null) {
            return null;
        }
        return peer.getAddress() == null ? peer.getHostString() : peer.getAddress().getHostAddress();
    }

    /** What the request asked for, from a fixed list, so that no path an attacker chose reaches the trail. */
    static String operation(ServerHttpRequest request) {
        String path = request.getPath().pathWithinApplication().value();
        HttpMethod method = request.getMethod();
        if (path.equals(QUERIES)) {
            return HttpMethod.POST.equals(method) ? "submit" : HttpMethod.GET.equals(method) ? "list" : "other";
        }
        if (!path.startsWith(QUERIES + "/")) {
            return "other";
        }
        String[] segments = path.substring(QUERIES.length() + 1).split("/", -1);
        return switch (segments.length) {
            case 1 -> HttpMethod.DELETE.equals(method) ? "cancel" : HttpMethod.GET.equals(method) ? "status" : "other";
            case 2 -> switch (segments[1]) {
                case "cancel" -> HttpMethod.POST.equals(method) ? "cancel" : "other";
                case "events" -> "events";
                case "results" -> "results";
                default -> "other";
            };
            case 4 -> segments[1].equals("results") && segments[2].equals("chunks") ? "chunk" : "other";
            default -> "other";
        };
    }

    /** The job a refused request named in its path, when it names one that could exist. */
    private static JobId pathJobId(ServerHttpRequest request) {
        String path = request.getPath().pathWithinApplication().value();
        if (!path.startsWith(QUERIES + "/")) {
            return null;
        }
        String segment = path.substring(QUERIES.length() + 1).split("/", 2)[0];
        return JobId.tryParse(segment).orElse(null);
    }

    /** The trace of the request's server observation; null before one was started (or without tracing). */
    private static String traceId(ServerWebExchange exchange) {
        return ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .map(context -> context.<TracingObservationHandler.TracingContext>get(TracingObservationHandler.TracingContext.class))
                .map(tracing -> tracing.getSpan())
                .map(span -> span.context().traceId())
                .orElse(null);
    }
}
