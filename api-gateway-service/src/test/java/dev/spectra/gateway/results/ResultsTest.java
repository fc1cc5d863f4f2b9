package dev.spectra.gateway.results;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobId;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.result.ResultLocation;
import dev.spectra.common.result.ResultManifest;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.gateway.support.GatewayWebTest;
import dev.spectra.gateway.support.JobFixtures;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.spectra.gateway.support.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;

class ResultsTest extends GatewayWebTest {

    private static final String BUCKET = "spectra-results";
    /** The fixtures' job retention. */
    private static final Duration RETENTION = Duration.ofDays(7);
    private static final List<ResultManifest.Column> COLUMNS = List.of(
            new ResultManifest.Column("id", "int8"), new ResultManifest.Column("region", "varchar"));

    @Test
    void servesAResultOnTheItemAsAManifestWithItsRowsWithoutReadingTheBucket() {
        String document = "{\"columns\":[{\"name\":\"region\",\"type\":\"varchar\"},{\"name\":\"total\",\"type\":\"numeric\"}],"
                + "\"rows\":[[\"EU\",\"12.50\"],[null,1.10]],\"row_count\":2}";
        Job job = recent().succeeded(2, document);
        jobs.save(job);

        get(ACME, results(job))
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectHeader().cacheControl(CacheControl.noStore())
                .expectBody().json("""
                        {"job_id": "%s", "disposition": "INLINE", "format": "JSON_ARRAY", "compression": "NONE",
                         "columns": [{"name": "region", "type": "varchar"}, {"name": "total", "type": "numeric"}],
                         "total_row_count": 2, "total_byte_count": %d, "truncated": false, "chunk_count": 1,
                         "chunks": [{"index": 0, "row_offset": 0, "row_count": 2, "byte_count": %d}],
                         "rows": [["EU", "12.50"], [null, 1.10]], "row_count": 2}
                        """.formatted(job.jobId(), document.length(), document.length()), JsonCompareMode.STRICT);
        assertThat(this.results.reads()).isEmpty();
    }

    @Test
    void keepsTheWarehousesDigitsOfAResultOnTheItem() {
        Job job = recent().succeeded(1, "{\"columns\":[],\"rows\":[[1.10,12345678901234567890.5]],\"row_count\":1}");
        jobs.save(job);

        assertThat(body(get(ACME, results(job)).expectStatus().isOk())).contains("\"rows\":[[1.10,12345678901234567890.5]]");
    }

    @Test
    void servesTheOneChunkOfAResultOnTheItem() {
        String document = "{\"columns\":[],\"rows\":[[1]],\"row_count\":1}";
        Job job = recent().succeeded(1, document);
        jobs.save(job);

        get(ACME, chunk(job, "0")).expectStatus().isOk()
                .expectBody().json("{\"index\": 0, \"row_offset\": 0, \"row_count\": 1, \"byte_count\": %d, \"rows\": [[1]]}"
                        .formatted(document.length()), JsonCompareMode.STRICT);
        expectNoSuchChunk(get(ACME, chunk(job, "1")), "numbered 0 to 0");
    }

    @Test
    void streamsChunkZerosRowsIntoAnInlineManifestAndPointsAtTheNextChunk() {
        Job job = inline();

        String body = body(get(ACME, results(job)).expectStatus().isOk());

        assertThat(body).isEqualTo(("{\"job_id\":\"%s\",\"disposition\":\"INLINE\",\"format\":\"JSON_ARRAY\",\"compression\":\"NONE\","
                + "\"columns\":[{\"name\":\"id\",\"type\":\"int8\"},{\"name\":\"region\",\"type\":\"varchar\"}],"
                + "\"total_row_count\":3,\"total_byte_count\":33,\"truncated\":false,\"chunk_count\":2,"
                + "\"chunks\":[{\"index\":0,\"row_offset\":0,\"row_count\":2,\"byte_count\":20},"
                + "{\"index\":1,\"row_offset\":2,\"row_count\":1,\"byte_count\":13}],"
                + "\"rows\":[[1,\"EU\"],[2,\"US\"]],\"row_count\":2,\"next_chunk\":\"/v1/queries/%s/results/chunks/1\"}")
                .formatted(job.jobId(), job.jobId()));
        assertThat(results.reads()).containsExactly(manifestOf(job), fileOf(job, 0));
        assertThat(results.signed()).isEmpty();
    }

    @Test
    void streamsAnInlineChunksRowsFromItsObject() {
        Job job = inline();

        get(ACME, chunk(job, "0")).expectStatus().isOk()
                .expectBody().json("""
                        {"index": 0, "row_offset": 0, "row_count": 2, "byte_count": 20, "rows": [[1, "EU"], [2, "US"]],
                         "next_chunk": "/v1/queries/%s/results/chunks/1"}""".formatted(job.jobId()), JsonCompareMode.STRICT);
        assertThat(body(get(ACME, chunk(job, "1")).expectStatus().isOk()))
                .isEqualTo("{\"index\":1,\"row_offset\":2,\"row_count\":1,\"byte_count\":13,\"rows\":[[3,\"APAC\"]]}");
    }

    @Test
    void servesAnEmptyInlineResultWithNoRows() {
        ResultLocation manifestAt = manifestOf(JobId.random());
        Job job = storedWith(manifestAt, new ResultManifest(1, Disposition.INLINE, ResultFormat.JSON_ARRAY, Compression.NONE, COLUMNS,
                0, 0, false, List.of()));

        get(ACME, results(job)).expectStatus().isOk()
                .expectBody().jsonPath("$.rows").isEmpty().jsonPath("$.row_count").isEqualTo(0).jsonPath("$.next_chunk").doesNotExist();
        expectNoSuchChunk(get(ACME, chunk(job, "0")), "has no chunks");
    }

    @Test
    void listsASignedLinkPerChunkForExternalLinksAndNoRows() {
        Job job = external();
        double signedBefore = counter("spectra.results.links_signed");

        get(ACME, results(job)).expectStatus().isOk()
                .expectBody().json("""
                        {"job_id": "%1$s", "disposition": "EXTERNAL_LINKS", "format": "CSV", "compression": "GZIP",
                         "columns": [{"name": "id", "type": "int8"}, {"name": "region", "type": "varchar"}],
                         "total_row_count": 3, "total_byte_count": 90, "truncated": true, "chunk_count": 2,
                         "chunks": [
                           {"index": 0, "row_offset": 0, "row_count": 2, "byte_count": 50,
                            "external_link": "http://s3.test/spectra-results/%2$spart-00000.csv.gz?X-Amz-Expires=900",
                            "expires_at": "%3$s"},
                           {"index": 1, "row_offset": 2, "row_count": 1, "byte_count": 40,
                            "external_link": "http://s3.test/spectra-results/%2$spart-00001.csv.gz?X-Amz-Expires=900",
                            "expires_at": "%3$s"}]}
                        """.formatted(job.jobId(), folderOf(job.jobId()), clock.instant().plus(Duration.ofMinutes(15))),
                        JsonCompareMode.STRICT);
        assertThat(results.signed()).containsExactly(fileOf(job, 0), fileOf(job, 1));
        assertThat(results.reads()).containsExactly(manifestOf(job));
        assertThat(counter("spectra.results.links_signed")).isEqualTo(signedBefore + 2);
    }

    @Test
    void signsAFreshLinkForEachExternalChunkAnswer() {
        Job job = external();

        get(ACME, chunk(job, "0")).expectStatus().isOk()
                .expectBody().json("""
                        {"index": 0, "row_offset": 0, "row_count": 2, "byte_count": 50,
                         "external_link": "http://s3.test/spectra-results/%2$spart-00000.csv.gz?X-Amz-Expires=900",
                         "expires_at": "%3$s", "next_chunk": "/v1/queries/%1$s/results/chunks/1"}
                        """.formatted(job.jobId(), folderOf(job.jobId()), clock.instant().plus(Duration.ofMinutes(15))),
                        JsonCompareMode.STRICT);
        clock.advance(Duration.ofMinutes(1));
        get(ACME, chunk(job, "1")).expectStatus().isOk()
                .expectBody().jsonPath("$.expires_at").isEqualTo(clock.instant().plus(Duration.ofMinutes(15)).toString())
                .jsonPath("$.next_chunk").doesNotExist();

        assertThat(results.signed()).containsExactly(fileOf(job, 0), fileOf(job, 1));
    }

    @Test
    void neverSignsALinkThatOutlivesTheJobsRetention() {
        // retained for five more minutes
        Job job = external(clock.instant().minus(RETENTION).plus(Duration.ofMinutes(5)));

        get(ACME, chunk(job, "0")).expectStatus().isOk();

        // whole seconds, as SigV4 counts them, rounded down: never a moment past the retention
        Duration retained = Duration.between(clock.instant(), job.expiresAt());
        assertThat(results.signedFor()).singleElement().satisfies(ttl -> assertThat(ttl)
                .isLessThanOrEqualTo(retained).isGreaterThan(retained.minusSeconds(1)).isLessThan(Duration.ofMinutes(15)));
    }

    @Test
    void answersGoneForAJobPastItsRetentionAndSignsNothing() {
        // its item not yet deleted: the table's TTL deletes only eventually
        Job job = external(clock.instant().minus(RETENTION));

        for (String path : List.of(results(job), chunk(job, "0"))) {
            get(ACME, path).expectStatus().isEqualTo(HttpStatus.GONE)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("RESULT_EXPIRED").jsonPath("$.title").isEqualTo("Result expired");
        }
        assertThat(results.signed()).isEmpty();
        assertThat(results.reads()).isEmpty();
    }

    @Test
    void answersGoneWhenTheBucketNoLongerHoldsTheChunk() {
        Job job = inline();
        ResultLocation gone = fileOf(job, 0);
        results.withoutObject(gone);

        get(ACME, chunk(job, "0")).expectStatus().isEqualTo(HttpStatus.GONE)
                .expectBody().jsonPath("$.code").isEqualTo("RESULT_EXPIRED");
        assertThat(results.reads()).contains(gone);
    }

    @Test
    void answersAnotherTenantsChunkExactlyAsAnUnknownJob() {
        Job globexJob = inline(GLOBEX);

        byte[] otherTenants = get(ACME, chunk(globexJob, "0")).expectStatus().isNotFound().expectBody().returnResult().getResponseBody();
        byte[] unknown = get(ACME, "/v1/queries/" + UUID.randomUUID() + "/results/chunks/0").expectStatus().isNotFound()
                .expectBody().returnResult().getResponseBody();

        assertThat(new String(otherTenants, StandardCharsets.UTF_8)).contains("\"code\":\"JOB_NOT_FOUND\"");
        assertThat(otherTenants).isEqualTo(unknown);
        assertThat(results.reads()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "-1", "01", "+1", "abc", "1.0", "99999999999"})
    void answersNotFoundForAnIndexThatNamesNoChunk(String index) {
        Job job = inline();

        expectNoSuchChunk(get(ACME, chunk(job, index)), "numbered 0 to 1");
    }

    @Test
    void refusesAManifestOutsideTheJobsFolder() {
        Job other = inline();
        // this job's summary points at the other job's manifest
        Job job = recent().succeeded(manifestFor(other.jobId(), Disposition.INLINE).summary(manifestOf(other)), null);
        jobs.save(job);

        expectUnreadable(get(ACME, results(job)));
        assertThat(results.reads()).isEmpty();
    }

    @Test
    void refusesAManifestNamingAChunkOutsideTheJobsFolderAndSignsNothing() {
        JobId jobId = JobId.random();
        ResultManifest manifest = new ResultManifest(1, Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.NONE, COLUMNS, 1, 10,
                false, List.of(new ResultManifest.Chunk(0, 0, 1, 10, ResultLocation.jobPrefix(GLOBEX, jobId) + "d1/part-00000.csv")));
        Job job = storedWith(manifestOf(jobId), manifest);

        expectUnreadable(get(ACME, results(job)));
        expectUnreadable(get(ACME, chunk(job, "0")));
        assertThat(results.signed()).isEmpty();
    }

    @Test
    void answersServiceUnavailableWhenTheBucketFails() {
        Job job = inline();
        results.failWith(new IllegalStateException("S3 is down"));

        get(ACME, results(job)).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.code").isEqualTo("STORAGE_UNAVAILABLE");
    }

    @Test
    void answersServiceUnavailableWhenTheBucketDoesNotAnswer() {
        Job job = inline();
        results.hang();

        get(ACME, chunk(job, "1")).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.code").isEqualTo("STORAGE_UNAVAILABLE");
    }

    @Test
    void answersAProblemWhenAChunkFailsBeforeItsFirstByte() {
        Job job = inline();
        results.withObject(fileOf(job, 0), "");

        expectUnreadable(get(ACME, chunk(job, "0")));
    }

    @Test
    void answersAProblemForAnUnreadableManifest() {
        Job job = inline();
        results.failWith(new ResultObjects.UnreadableManifestException("manifest is 5000000 bytes", null));

        expectUnreadable(get(ACME, results(job)));
    }

    @Test
    void stillRefusesResultsBeforeTheJobSucceeded() {
        Job job = recent().running();
        jobs.save(job);

        get(ACME, chunk(job, "0")).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.code").isEqualTo("RESULT_NOT_READY").jsonPath("$.job_status").isEqualTo("RUNNING");
    }

    @Test
    void countsAnswersByKindDispositionAndFormat() {
        Job inline = inline();
        Job external = external();
        double manifestsBefore = served("manifest", "INLINE", "JSON_ARRAY");
        double chunksBefore = served("chunk", "EXTERNAL_LINKS", "CSV");

        get(ACME, results(inline)).expectStatus().isOk().expectBody().returnResult();
        get(ACME, chunk(external, "1")).expectStatus().isOk();

        assertThat(served("manifest", "INLINE", "JSON_ARRAY")).isEqualTo(manifestsBefore + 1);
        assertThat(served("chunk", "EXTERNAL_LINKS", "CSV")).isEqualTo(chunksBefore + 1);
    }

    private JobFixtures recent() {
        return aQueuedJob().forTenant(ACME).submittedAt(clock.instant().minusSeconds(60));
    }

    /** An inline result of two chunks in the bucket: [[1,"EU"],[2,"US"]] and [[3,"APAC"]]. */
    private Job inline() {
        return inline(ACME);
    }

    private Job inline(TenantId tenant) {
        JobId jobId = JobId.random();
        ResultManifest manifest = manifestFor(tenant, jobId, Disposition.INLINE);
        results.withObject(new ResultLocation(BUCKET, manifest.chunks().get(0).key()), "[[1,\"EU\"],[2,\"US\"]]");
        results.withObject(new ResultLocation(BUCKET, manifest.chunks().get(1).key()), "[[3,\"APAC\"]]");
        return storedWith(tenant, manifestOf(tenant, jobId), manifest);
    }

    /** Two gzipped CSV files. */
    private Job external() {
        return external(clock.instant().minusSeconds(60));
    }

    private Job external(Instant submittedAt) {
        JobId jobId = JobId.random();
        ResultLocation manifestAt = manifestOf(jobId);
        results.withManifest(manifestAt, manifestFor(jobId, Disposition.EXTERNAL_LINKS));
        Job job = aQueuedJob().forTenant(ACME).withId(jobId).submittedAt(submittedAt)
                .succeeded(manifestFor(jobId, Disposition.EXTERNAL_LINKS).summary(manifestAt), null);
        jobs.save(job);
        return job;
    }

    private ResultManifest manifestFor(JobId jobId, Disposition disposition) {
        return manifestFor(ACME, jobId, disposition);
    }

    private ResultManifest manifestFor(TenantId tenant, JobId jobId, Disposition disposition) {
        String folder = ResultLocation.jobPrefix(tenant, jobId) + "d1/";
        if (disposition == Disposition.INLINE) {
            return new ResultManifest(1, Disposition.INLINE, ResultFormat.JSON_ARRAY, Compression.NONE, COLUMNS, 3, 33, false, List.of(
                    new ResultManifest.Chunk(0, 0, 2, 20, folder + "part-00000.json"),
                    new ResultManifest.Chunk(1, 2, 1, 13, folder + "part-00001.json")));
        }
        return new ResultManifest(1, Disposition.EXTERNAL_LINKS, ResultFormat.CSV, Compression.GZIP, COLUMNS, 3, 90, true, List.of(
                new ResultManifest.Chunk(0, 0, 2, 50, folder + "part-00000.csv.gz"),
                new ResultManifest.Chunk(1, 2, 1, 40, folder + "part-00001.csv.gz")));
    }

    private Job storedWith(ResultLocation manifestAt, ResultManifest manifest) {
        return storedWith(ACME, manifestAt, manifest);
    }

    private Job storedWith(TenantId tenant, ResultLocation manifestAt, ResultManifest manifest) {
        JobId jobId = JobId.of(manifestAt.key().split("/")[1].substring("job=".length()));
        results.withManifest(manifestAt, manifest);
        Job job = aQueuedJob().forTenant(tenant).withId(jobId).submittedAt(clock.instant().minusSeconds(60))
                .succeeded(manifest.summary(manifestAt), null);
        jobs.save(job);
        return job;
    }

    private static String folderOf(JobId jobId) {
        return ResultLocation.jobPrefix(ACME, jobId) + "d1/";
    }

    private static ResultLocation manifestOf(JobId jobId) {
        return manifestOf(ACME, jobId);
    }

    private static ResultLocation manifestOf(TenantId tenant, JobId jobId) {
        return new ResultLocation(BUCKET, ResultLocation.jobPrefix(tenant, jobId) + "d1/" + ResultManifest.FILE_NAME);
    }

    private static ResultLocation manifestOf(Job job) {
        return job.result().manifest();
    }

    private ResultLocation fileOf(Job job, int index) {
        String extension = job.result().disposition() == Disposition.INLINE ? ".json" : ".csv.gz";
        return new ResultLocation(BUCKET, ResultLocation.jobPrefix(job.tenantId(), job.jobId()) + "d1/part-0000" + index + extension);
    }

    private static String results(Job job) {
        return "/v1/queries/" + job.jobId() + "/results";
    }

    private static String chunk(Job job, String index) {
        return results(job) + "/chunks/" + index;
    }

    private static String body(WebTestClient.ResponseSpec response) {
        return new String(response.expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8);
    }

    private static void expectNoSuchChunk(WebTestClient.ResponseSpec response, String detail) {
        response.expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("REQUEST_INVALID")
                .jsonPath("$.detail").value(text -> assertThat((String) text).contains(detail));
    }

    private static void expectUnreadable(WebTestClient.ResponseSpec response) {
        response.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("STORAGE_UNAVAILABLE")
                .jsonPath("$.detail").value(text -> assertThat((String) text).contains("cannot be served"));
    }

    private double counter(String name) {
        Counter counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    private double served(String answer, String disposition, String format) {
        Counter counter = meters.find("spectra.results.served").tag("answer", answer).tag("disposition", disposition)
                .tag("format", format).counter();
        return counter == null ? 0 : counter.count();
    }
}
