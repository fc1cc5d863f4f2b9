package dev.spectra.gateway.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobStatus;
import dev.spectra.gateway.docs.ProblemDocument;
import dev.spectra.gateway.docs.ResultDocument;
import dev.spectra.gateway.docs.SubmitRequestDocument;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.ServerSentEvent;
import tools.jackson.databind.json.JsonMapper;
import java.time.Duration;

import dev.spectra.common.audit.AuditRecord;
import dev.spectra.common.tenant.Tenant;
import dev.spectra.gateway.audit.GatewayAudit;
import org.springframework.web.server.ServerWebExchange;
import dev.spectra.gateway.problem.ProblemException;
import dev.spectra.gateway.problem.Problems;
import dev.spectra.gateway.results.ResultReader;
import dev.spectra.gateway.sql.SqlGuard;
import dev.spectra.gateway.tenant.ActiveTenantFilter;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;

/**
 * The query API. Requests reach it authenticated, for an active tenant whose token and header agree
 * ({@link ActiveTenantFilter}), and submissions within the tenant's rate limit.
 */
@RestController
public class QueryController {

    private static final String QUERIES = "/v1/queries";
    private static final String PROBLEM = "application/problem+json";

    private final QueryRequestReader requestReader;
    private final SqlGuard sqlGuard;
    private final JobSubmitter submitter;
    private final JobStore store;
    private final ResultReader resultReader;
    private final JobCancellation cancellation;
    private final JobListing listing;
    private final QueriesProperties queries;
    private final JobWaiter waiter;
    private final JobStatusReads statusReads;
    private final JsonMapper json;
    private final GatewayAudit audit;

    public QueryController(QueryRequestReader requestReader, SqlGuard sqlGuard, JobSubmitter submitter, JobStore store,
            ResultReader resultReader, JobCancellation cancellation, JobListing listing, QueriesProperties queries,
            JobWaiter waiter, JobStatusReads statusReads, JsonMapper json, GatewayAudit audit) {
        this.requestReader = requestReader;
        this.sqlGuard = sqlGuard;
        this.submitter = submitter;
        this.store = store;
        this.resultReader = resultReader;
        this.cancellation = cancellation;
        this.listing = listing;
        this.queries = queries;
        this.waiter = waiter;
        this.statusReads = statusReads;
        this.json = json;
        this.audit = audit;
    }

    /**
     * Submits a query: 202 with the job at once; with {@code wait_seconds}, 200 with the ended job (and its result
     * when it is one chunk) if it ends within the wait, else 202 with the job running, or, with
     * {@code on_wait_timeout: CANCEL}, 200 with the job cancelled.
     */
    @Operation(summary = "Submit a query", operationId = "submitQuery",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SubmitRequestDocument.class))),
            parameters = @Parameter(in = ParameterIn.HEADER, name = IdempotencyKey.HEADER, description = "1 to 255 visible ASCII "
                    + "characters: the same key with the same request within 24 h returns the original job",
                    schema = @Schema(type = "string", minLength = 1, maxLength = 255)))
    @ApiResponse(responseCode = "202", description = "Accepted: the job, QUEUED (or still running after wait_seconds)",
            headers = @Header(name = "Location", description = "The job's URL", schema = @Schema(type = "string")), content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JobStatusDocument.class)))
    @ApiResponse(responseCode = "200", description = "The job ended within wait_seconds (with a one-chunk result in `result`), was "
            + "cancelled by on_wait_timeout CANCEL, or is the Idempotency-Key's earlier job (Idempotent-Replayed: true)",
            headers = {@Header(name = "Location", schema = @Schema(type = "string")),
                    @Header(name = IDEMPOTENT_REPLAYED, description = "true when the answer is the key's earlier job", schema = @Schema(type = "string"))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JobStatusDocument.class)))
    @ApiResponse(responseCode = "400", description = "REQUEST_INVALID, PARAMETER_INVALID, SQL_INVALID, SQL_MULTIPLE_STATEMENTS, SQL_NOT_READ_ONLY, SQL_FORBIDDEN_OBJECT, SQL_FORBIDDEN_FUNCTION: the request or its SQL is refused; nothing was recorded", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHENTICATED: no token, a bad signature, an expired token", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "403", description = "TENANT_MISMATCH, TENANT_NOT_ACTIVE: the header differs from the token, or the tenant is unknown or off", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "422", description = "IDEMPOTENCY_KEY_REUSED: the key was used with another request", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "429", description = "RATE_LIMITED: the tenant's budget is spent; see Retry-After", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "STORAGE_UNAVAILABLE: the job store, the queue or the results bucket did not answer; see Retry-After", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @PostMapping(path = QUERIES, consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<JobStatusDocument>> submit(
            @RequestAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE) Tenant tenant, ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        return Mono.fromCallable(() -> IdempotencyKey.of(request.getHeaders().get(IdempotencyKey.HEADER)))
                .flatMap(key -> requestReader.read(request)
                        // Which SQL, as the client sent it, for the audit record of this request, accepted or refused.
                        .doOnNext(query -> exchange.getAttributes().put(GatewayAudit.SQL_SHA256_ATTRIBUTE, AuditRecord.sqlFingerprint(query.sql())))
                        .flatMap(query -> sqlGuard.check(tenant.id(), query.sql(), query.options().parameters())
                                .flatMap(guarded -> submitter.submit(tenant, guarded.text(), query.delivery(), query.options(),
                                        key.orElse(null), query.fingerprint(),
                                        recorded -> audit.accepted(exchange, recorded.job(), recorded.replayed())))
                                .flatMap(submitted -> waiter.awaitEnd(submitted.job(), query.waiting().duration())
                                        .flatMap(latest -> latest.status().isTerminal() || !query.waiting().cancelOnTimeout()
                                                ? Mono.just(latest) : cancelledAfterWait(exchange, latest))
                                        .flatMap(job -> answer(job, job.status().isTerminal() || submitted.replayed(),
                                                query.waiting().duration().isPositive()))
                                        .map(answer -> submitted.replayed() ? answer.replayed() : answer))))
                .map(answer -> answer.location(URI.create(QUERIES + "/" + answer.job().jobId().value())).build());
    }

    /**
     * The job; with {@code wait_seconds} (1 to 50) a long poll: 200 as soon as the job ends (with its result when it
     * is one chunk), 202 with the job as it stands when the wait elapses first.
     */
    @Operation(summary = "A job's status; with wait_seconds, a long poll", operationId = "getQuery",
            parameters = @Parameter(in = ParameterIn.QUERY, name = "wait_seconds", description = "Wait up to this long for the job to end",
                    schema = @Schema(type = "integer", minimum = "0", maximum = "50")))
    @ApiResponse(responseCode = "200", description = "The job (ended, when wait_seconds was given)", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JobStatusDocument.class)))
    @ApiResponse(responseCode = "202", description = "The wait elapsed with the job still running", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JobStatusDocument.class)))
    @ApiResponse(responseCode = "400", description = "REQUEST_INVALID: a malformed wait_seconds", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHENTICATED: no token, a bad signature, an expired token", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "403", description = "TENANT_MISMATCH, TENANT_NOT_ACTIVE: the header differs from the token, or the tenant is unknown or off", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "404", description = "JOB_NOT_FOUND: an unknown id, or another tenant's (the same answer)", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "429", description = "RATE_LIMITED: the tenant has too many waits and event streams open", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "STORAGE_UNAVAILABLE: the job store, the queue or the results bucket did not answer; see Retry-After", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @GetMapping(path = QUERIES + "/{jobId}")
    public Mono<ResponseEntity<JobStatusDocument>> status(
            @RequestAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE) Tenant tenant, @PathVariable String jobId,
            ServerHttpRequest request) {
        return Mono.fromCallable(() -> waitSeconds(request))
                .flatMap(wait -> ownStatus(tenant, jobId)
                        .flatMap(job -> waiter.awaitEnd(job, wait))
                        .flatMap(job -> answer(job, wait.isZero() || job.status().isTerminal(), wait.isPositive())))
                .map(answer -> answer.build());
    }

    /**
     * The job's states as Server-Sent Events: the state it is in now, then every transition with its time, ending
     * with the terminal one; a comment every 15 s keeps idle proxies from closing the stream.
     */
    @Operation(summary = "A job's states as Server-Sent Events", operationId = "streamQueryEvents")
    @ApiResponse(responseCode = "200", description = "event: state, id: the version, data: the state; the first is the current "
            + "state, the last the terminal one", content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
            schema = @Schema(implementation = JobStateDocument.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHENTICATED: no token, a bad signature, an expired token", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "403", description = "TENANT_MISMATCH, TENANT_NOT_ACTIVE: the header differs from the token, or the tenant is unknown or off", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "404", description = "JOB_NOT_FOUND: an unknown id, or another tenant's (the same answer)", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "429", description = "RATE_LIMITED: the tenant has too many waits and event streams open", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "STORAGE_UNAVAILABLE: the job store, the queue or the results bucket did not answer; see Retry-After", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @GetMapping(path = QUERIES + "/{jobId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<JobStateDocument>> events(
            @RequestAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE) Tenant tenant, @PathVariable String jobId) {
        return ownStatus(tenant, jobId).flatMapMany(job -> {
            Flux<ServerSentEvent<JobStateDocument>> states = Flux.concat(
                            Flux.just(JobWaiter.JobState.of(job)), waiter.states(job))
                    .map(state -> ServerSentEvent.builder(JobStateDocument.of(job, state))
                            .event("state").id(Long.toString(state.version())).build());
            Flux<ServerSentEvent<JobStateDocument>> heartbeats = Flux.interval(HEARTBEAT, HEARTBEAT)
                    .map(tick -> ServerSentEvent.<JobStateDocument>builder().comment("keep-alive").build());
            return states.publish(shared -> Flux.merge(shared, heartbeats.takeUntilOther(shared.ignoreElements())));
        });
    }

    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private Mono<Job> cancelledAfterWait(ServerWebExchange exchange, Job running) {
        return cancellation.cancel(running, cancelled -> audit.cancelled(exchange, cancelled))
                // It ended on its own in the meantime: that ending is the answer.
                .onErrorResume(ProblemException.class, conflict -> store.find(running.tenantId(), running.jobId()));
    }

    /**
     * The answer about a job: 200 or 202 and, after a wait, an ended job's one-chunk result in the same answer. A
     * plain status read stays one read of the job: pollers do not pay for the result on every poll.
     */
    private Mono<JobAnswer> answer(Job job, boolean ended, boolean waited) {
        HttpStatus status = ended ? HttpStatus.OK : HttpStatus.ACCEPTED;
        JobStatusDocument document = JobStatusDocument.of(job);
        if (!waited || job.status() != JobStatus.SUCCEEDED || job.result() == null || job.result().chunkCount() > 1) {
            return Mono.just(new JobAnswer(job, status, document));
        }
        // A status read leaves the result document on the item out: a result that lives there is read now.
        Mono<Job> withResult = job.result().onItem() && job.resultJson() == null
                ? store.find(job.tenantId(), job.jobId()) : Mono.just(job);
        return withResult.flatMap(resultReader::manifest)
                .flatMap(entity -> DataBufferUtils.join(requireBody(entity)))
                .map(buffer -> {
                    try (var stream = buffer.asInputStream(true)) {
                        return new JobAnswer(job, status, document.withResult(json.readTree(stream)));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                // The result is still there to fetch; the answer about the job does not fail for it.
                .onErrorResume(error -> Mono.just(new JobAnswer(job, status, document)));
    }

    private static Flux<DataBuffer> requireBody(ResponseEntity<Flux<DataBuffer>> entity) {
        return entity.getBody() == null ? Flux.empty() : entity.getBody();
    }

    /** An answer about a job, before its headers are final. */
    private record JobAnswer(Job job, HttpStatus status, JobStatusDocument document, URI location, boolean replay) {
        JobAnswer(Job job, HttpStatus status, JobStatusDocument document) {
            this(job, status, document, null, false);
        }

        JobAnswer location(URI at) {
            return new JobAnswer(job, status, document, at, replay);
        }

        /** The answer to a request whose idempotency key named an earlier job: 200, marked as a replay. */
        JobAnswer replayed() {
            return new JobAnswer(job, HttpStatus.OK, document, location, true);
        }

        ResponseEntity<JobStatusDocument> build() {
            ResponseEntity.BodyBuilder builder = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
            if (location != null) {
                builder.location(location);
            }
            if (replay) {
                builder.header(IDEMPOTENT_REPLAYED, "true");
            }
            return builder.body(document);
        }
    }

    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private static Duration waitSeconds(ServerHttpRequest request) {
        String text = request.getQueryParams().getFirst("wait_seconds");
        if (text == null) {
            return Duration.ZERO;
        }
        long seconds;
        try {
            seconds = Long.parseLong(text);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0 || seconds > QueryRequest.MAX_WAIT_SECONDS || request.getQueryParams().get("wait_seconds").size() > 1) {
            throw new ProblemException(Problems.requestInvalid("Query parameter 'wait_seconds' must be one integer from 0 to "
                    + QueryRequest.MAX_WAIT_SECONDS + "."));
        }
        return Duration.ofSeconds(seconds);
    }

    /** The tenant's own jobs, newest first, a page at a time; filters and paging as {@link ListRequest} reads them. */
    @Operation(summary = "The tenant's jobs, newest first", operationId = "listQueries", parameters = {
            @Parameter(in = ParameterIn.QUERY, name = "status", description = "One or more states, repeated or comma-separated",
                    array = @ArraySchema(schema = @Schema(implementation = dev.spectra.common.job.JobStatus.class))),
            @Parameter(in = ParameterIn.QUERY, name = "submitted_after", schema = @Schema(type = "string", format = "date-time")),
            @Parameter(in = ParameterIn.QUERY, name = "name", schema = @Schema(type = "string", maxLength = 128)),
            @Parameter(in = ParameterIn.QUERY, name = "tag", description = "key:value; repeated, all must match",
                    array = @ArraySchema(schema = @Schema(type = "string"))),
            @Parameter(in = ParameterIn.QUERY, name = "limit", schema = @Schema(type = "integer", minimum = "1", maximum = "500", defaultValue = "50")),
            @Parameter(in = ParameterIn.QUERY, name = "page_token", description = "next_page_token of the previous page, with the same filters",
                    schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "200", description = "A page; follow next_page_token until it is absent",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JobList.class)))
    @ApiResponse(responseCode = "400", description = "REQUEST_INVALID, PAGE_TOKEN_INVALID: a malformed filter, or a token not issued for this listing", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHENTICATED: no token, a bad signature, an expired token", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "403", description = "TENANT_MISMATCH, TENANT_NOT_ACTIVE: the header differs from the token, or the tenant is unknown or off", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "STORAGE_UNAVAILABLE: the job store, the queue or the results bucket did not answer; see Retry-After", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @GetMapping(path = QUERIES)
    public Mono<ResponseEntity<JobList>> list(
            @RequestAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE) Tenant tenant, ServerHttpRequest request) {
        return Mono.fromCallable(() -> ListRequest.read(request.getQueryParams(), queries))
                .flatMap(list -> listing.list(tenant.id(), list.filter(), list.limit(), list.pageToken()))
                .map(listed -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(JobList.of(listed)));
    }

    /**
     * Cancels the job: it ends CANCELLED and its statement, if it reached the warehouse, is cancelled there. A job that
     * already ended is a 409 naming its state.
     */
    @Operation(summary = "Cancel a job", operationId = "cancelQuery")
    @ApiResponse(responseCode = "200", description = "The job, CANCELLED", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JobStatusDocument.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHENTICATED: no token, a bad signature, an expired token", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "403", description = "TENANT_MISMATCH, TENANT_NOT_ACTIVE: the header differs from the token, or the tenant is unknown or off", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "404", description = "JOB_NOT_FOUND: an unknown id, or another tenant's (the same answer)", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "409", description = "JOB_ALREADY_ENDED: the job had ended; job_status names its state", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "STORAGE_UNAVAILABLE: the job store, the queue or the results bucket did not answer; see Retry-After", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @PostMapping(path = QUERIES + "/{jobId}/cancel")
    public Mono<ResponseEntity<JobStatusDocument>> cancel(
            @RequestAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE) Tenant tenant, @PathVariable String jobId,
            ServerWebExchange exchange) {
        return ownJob(tenant, jobId)
                .flatMap(job -> cancellation.cancel(job, cancelled -> audit.cancelled(exchange, cancelled)))
                .map(job -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(JobStatusDocument.of(job)));
    }

    /** The same as {@code POST /v1/queries/{id}/cancel}, for clients that delete a resource to stop it. */
    @Operation(summary = "Cancel a job (the same as POST .../cancel)", operationId = "deleteQuery")
    @ApiResponse(responseCode = "200", description = "The job, CANCELLED", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JobStatusDocument.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHENTICATED: no token, a bad signature, an expired token", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "403", description = "TENANT_MISMATCH, TENANT_NOT_ACTIVE: the header differs from the token, or the tenant is unknown or off", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "404", description = "JOB_NOT_FOUND: an unknown id, or another tenant's (the same answer)", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "409", description = "JOB_ALREADY_ENDED: the job had ended; job_status names its state", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "STORAGE_UNAVAILABLE: the job store, the queue or the results bucket did not answer; see Retry-After", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @DeleteMapping(path = QUERIES + "/{jobId}")
    public Mono<ResponseEntity<JobStatusDocument>> delete(
            @RequestAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE) Tenant tenant, @PathVariable String jobId,
            ServerWebExchange exchange) {
        return cancel(tenant, jobId, exchange);
    }

    /** The result's manifest: its columns and chunks, with chunk 0's rows (inline) or a link per chunk. */
    @Operation(summary = "The result's manifest", operationId = "getQueryResult")
    @ApiResponse(responseCode = "200", description = "The manifest; an inline result carries chunk 0's rows",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ResultDocument.Manifest.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHENTICATED: no token, a bad signature, an expired token", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "403", description = "TENANT_MISMATCH, TENANT_NOT_ACTIVE: the header differs from the token, or the tenant is unknown or off", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "404", description = "JOB_NOT_FOUND: an unknown id, or another tenant's (the same answer)", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "409", description = "RESULT_NOT_READY: the job has not SUCCEEDED; job_status names its state", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "410", description = "RESULT_EXPIRED: past the job's retention", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "STORAGE_UNAVAILABLE: the job store, the queue or the results bucket did not answer; see Retry-After", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @GetMapping(path = QUERIES + "/{jobId}/results")
    public Mono<ResponseEntity<Flux<DataBuffer>>> results(
            @RequestAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE) Tenant tenant, @PathVariable String jobId) {
        return ownJob(tenant, jobId).flatMap(resultReader::manifest);
    }

    /** One chunk of the result: its rows (inline) or a freshly signed link. An index naming no chunk is 404. */
    @Operation(summary = "One chunk of the result", operationId = "getQueryResultChunk")
    @ApiResponse(responseCode = "200", description = "The chunk: its rows, or a freshly signed link",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ResultDocument.Chunk.class)))
    @ApiResponse(responseCode = "401", description = "UNAUTHENTICATED: no token, a bad signature, an expired token", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "403", description = "TENANT_MISMATCH, TENANT_NOT_ACTIVE: the header differs from the token, or the tenant is unknown or off", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "404", description = "JOB_NOT_FOUND, or REQUEST_INVALID: an index naming no chunk", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "409", description = "RESULT_NOT_READY: the job has not SUCCEEDED", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "410", description = "RESULT_EXPIRED: past the job's retention", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @ApiResponse(responseCode = "503", description = "STORAGE_UNAVAILABLE: the job store, the queue or the results bucket did not answer; see Retry-After", content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDocument.class)))
    @GetMapping(path = QUERIES + "/{jobId}/results/chunks/{index}")
    public Mono<ResponseEntity<Flux<DataBuffer>>> chunk(
            @RequestAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE) Tenant tenant, @PathVariable String jobId,
            @PathVariable String index) {
        return ownJob(tenant, jobId).flatMap(job -> resultReader.chunk(job, index));
    }

    /**
     * The tenant's own job. A malformed id, an unknown id and another tenant's id all end in the same
     * 404: the key includes the tenant, so another tenant's job is simply not there.
     */
    /** As {@link #ownJob}, read for a status answer ({@link JobStatusReads}): never written back, never a result. */
    private Mono<Job> ownStatus(Tenant tenant, String rawJobId) {
        return Mono.justOrEmpty(JobId.tryParse(rawJobId))
                .flatMap(jobId -> statusReads.find(tenant.id(), jobId)
                        .onErrorMap(error -> new ProblemException(Problems.storageUnavailable(), error)))
                .switchIfEmpty(Mono.error(() -> new ProblemException(Problems.jobNotFound())));
    }

    private Mono<Job> ownJob(Tenant tenant, String rawJobId) {
        return Mono.justOrEmpty(JobId.tryParse(rawJobId))
                .flatMap(jobId -> store.find(tenant.id(), jobId)
                        .onErrorMap(error -> new ProblemException(Problems.storageUnavailable(), error)))
                .switchIfEmpty(Mono.error(() -> new ProblemException(Problems.jobNotFound())));
    }
}
