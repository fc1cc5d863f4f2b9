package dev.spectra.gateway.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.tenant.Tenant;
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

    private final QueryRequestReader requestReader;
    private final SqlGuard sqlGuard;
    private final JobSubmitter submitter;
    private final JobStore store;
    private final ResultReader resultReader;
    private final JobCancellation cancellation;
    private final JobListing listing;
    private final QueriesProperties queries;

    public QueryController(QueryRequestReader requestReader, SqlGuard sqlGuard, JobSubmitter submitter, JobStore store,
            ResultReader resultReader, JobCancellation cancellation, JobListing listing, QueriesProperties queries) {
        this.requestReader = requestReader;
        this.sqlGuard = sqlGuard;
        this.submitter = submitter;
        this.store = store;
        this.resultReader = resultReader;
        this.cancellation = cancellation;
        this.listing = listing;
        this.queries = queries;
    }

    @PostMapping(path = QUERIES, consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<JobStatusDocument>> submit(
            @RequestAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE) Tenant tenant, ServerHttpRequest request) {
        return requestReader.read(request)
                .flatMap(query -> sqlGuard.check(tenant.id(), query.sql(), query.options().parameters())
                        .flatMap(guarded -> submitter.submit(tenant, guarded.text(), query.delivery(), query.options())))
                .map(job -> ResponseEntity.accepted()
                        .location(URI.create(QUERIES + "/" + job.jobId().value()))
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(JobStatusDocument.of(job)));
    }

    @GetMapping(path = QUERIES + "/{jobId}")
    public Mono<ResponseEntity<JobStatusDocument>> status(
            @RequestAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE) Tenant tenant, @PathVariable String jobId) {
        return ownJob(tenant, jobId)
                .map(job -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(JobStatusDocument.of(job)));
    }

    /** The tenant's own jobs, newest first, a page at a time; filters and paging as {@link ListRequest} reads them. */
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
    @PostMapping(path = QUERIES + "/{jobId}/cancel")
    public Mono<ResponseEntity<JobStatusDocument>> cancel(
            @RequestAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE) Tenant tenant, @PathVariable String jobId) {
        return ownJob(tenant, jobId)
                .flatMap(cancellation::cancel)
                .map(job -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(JobStatusDocument.of(job)));
    }

    /** The same as {@code POST /v1/queries/{id}/cancel}, for clients that delete a resource to stop it. */
    @DeleteMapping(path = QUERIES + "/{jobId}")
    public Mono<ResponseEntity<JobStatusDocument>> delete(
            @RequestAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE) Tenant tenant, @PathVariable String jobId) {
        return cancel(tenant, jobId);
    }

    /** The result's manifest: its columns and chunks, with chunk 0's rows (inline) or a link per chunk. */
    @GetMapping(path = QUERIES + "/{jobId}/results")
    public Mono<ResponseEntity<Flux<DataBuffer>>> results(
            @RequestAttribute(ActiveTenantFilter.TENANT_ATTRIBUTE) Tenant tenant, @PathVariable String jobId) {
        return ownJob(tenant, jobId).flatMap(resultReader::manifest);
    }

    /** One chunk of the result: its rows (inline) or a freshly signed link. An index naming no chunk is 404. */
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
    private Mono<Job> ownJob(Tenant tenant, String rawJobId) {
        return Mono.justOrEmpty(JobId.tryParse(rawJobId))
                .flatMap(jobId -> store.find(tenant.id(), jobId)
                        .onErrorMap(error -> new ProblemException(Problems.storageUnavailable(), error)))
                .switchIfEmpty(Mono.error(() -> new ProblemException(Problems.jobNotFound())));
    }
}
