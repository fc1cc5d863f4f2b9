package dev.spectra.gateway.results;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.result.Compression;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultFormat;
import dev.spectra.common.result.ResultLocation;
import dev.spectra.common.result.ResultManifest;
import dev.spectra.common.result.ResultSummary;
import dev.spectra.gateway.problem.ProblemException;
import dev.spectra.gateway.problem.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Answers a job's result: its manifest ({@code GET /v1/queries/{id}/results}) and its chunks
 * ({@code .../results/chunks/{index}}).
 *
 * <ul>
 *   <li>Only a SUCCEEDED job still within its retention is served; an expired one is 410 RESULT_EXPIRED, and no
 *       link is signed for it. Links live {@code link-ttl}, never past the job's retention.</li>
 *   <li>A result on the job item is answered from the item, without touching the results bucket.</li>
 *   <li>A manifest, and every chunk it names, must lie under the job's own folder
 *       ({@code tenant=<id>/job=<id>/}); anything else is logged and refused.</li>
 *   <li>Inline rows are streamed from the chunk object between a JSON prefix and suffix written here: a chunk is
 *       never held whole. The bucket's failure before the first byte is a problem answer; after it, the
 *       connection is cut, and the client sees a truncated body.</li>
 * </ul>
 */
public final class ResultReader {

    private static final Logger log = LoggerFactory.getLogger(ResultReader.class);
    private static final String QUERIES = "/v1/queries";
    /** Chunk indexes as the API writes them: no sign, no leading zero, within an int. */
    private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]{0,8}");
    /** The key a result on the job item pretends its one chunk has; never read, never signed. */
    private static final String ON_ITEM = "on-item";
    private static final byte[] NO_ROWS = "[]".getBytes(StandardCharsets.UTF_8);

    private final ResultObjects objects;
    private final JsonMapper jsonMapper;
    private final ObjectReader itemReader;
    private final Clock clock;
    private final ResultsProperties properties;
    private final Scheduler signing;
    private final MeterRegistry meters;
    private final Counter linksSigned;

    public ResultReader(ResultObjects objects, JsonMapper jsonMapper, Clock clock, ResultsProperties properties,
            Scheduler signing, MeterRegistry meters) {
        this.objects = requireNonNull(objects, "objects is null");
        this.jsonMapper = requireNonNull(jsonMapper, "jsonMapper is null");
        // decimals kept as written: the item's document goes back out with the digits the warehouse gave
        this.itemReader = jsonMapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        this.clock = requireNonNull(clock, "clock is null");
        this.properties = requireNonNull(properties, "properties is null");
        this.signing = requireNonNull(signing, "signing is null");
        this.meters = requireNonNull(meters, "meters is null");
        this.linksSigned = Counter.builder("spectra.results.links_signed")
                .description("Presigned links to result chunk files handed out")
                .register(meters);
    }

    /** The manifest of a job's result; inline results carry chunk 0's rows. */
    public Mono<ResponseEntity<Flux<DataBuffer>>> manifest(Job job) {
        return Mono.defer(() -> load(servable(job))).flatMap(delivered -> {
            ResultManifest manifest = delivered.manifest();
            count("manifest", manifest);
            List<ResultDocuments.Chunk> chunks = manifest.chunks().stream().map(ResultDocuments.Chunk::of).toList();
            if (manifest.disposition() == Disposition.EXTERNAL_LINKS) {
                return signAll(job, delivered, chunks).map(signed -> answer(Flux.just(buffer(bytes(document(job, manifest, signed))))));
            }
            byte[] document = bytes(document(job, manifest, chunks));
            long rowCount = manifest.chunks().isEmpty() ? 0 : manifest.chunks().getFirst().rowCount();
            String tail = ",\"row_count\":" + rowCount + nextChunkMember(job, manifest, 0) + "}";
            return Mono.just(answer(rowsBetween(job, openObject(document), rows(job, delivered, 0), tail)));
        });
    }

    /** One chunk of a job's result: its rows (inline) or a freshly signed link (external links). */
    public Mono<ResponseEntity<Flux<DataBuffer>>> chunk(Job job, String rawIndex) {
        return Mono.defer(() -> load(servable(job))).flatMap(delivered -> {
            ResultManifest manifest = delivered.manifest();
            int index = chunkIndex(rawIndex, manifest.chunks().size());
            count("chunk", manifest);
            ResultDocuments.Chunk chunk = ResultDocuments.Chunk.of(manifest.chunks().get(index));
            if (manifest.disposition() == Disposition.EXTERNAL_LINKS) {
                ResultDocuments.Chunk withNext = nextChunk(job, manifest, index) == null ? chunk
                        : chunk.withNext(nextChunk(job, manifest, index));
                return signAll(job, delivered, List.of(withNext))
                        .map(signed -> answer(Flux.just(buffer(bytes(signed.getFirst())))));
            }
            String tail = nextChunkMember(job, manifest, index) + "}";
            return Mono.just(answer(rowsBetween(job, openObject(bytes(chunk)), rows(job, delivered, index), tail)));
        });
    }

    /** The job, if its result may be served now; otherwise the problem that says why not. */
    private Job servable(Job job) {
        if (!job.isRetainedAt(clock.instant())) {
            throw new ProblemException(Problems.resultExpired());
        }
        if (job.status() != JobStatus.SUCCEEDED) {
            throw new ProblemException(Problems.resultNotReady(job));
        }
        if (job.result() == null) {
            log.error("succeeded job has no result summary job={} tenant={}", job.jobId(), job.tenantId());
            throw new ProblemException(Problems.internalError());
        }
        return job;
    }

    /**
     * A delivered result as the gateway serves it.
     *
     * @param location where the manifest is; null for a result on the job item
     * @param itemRows the rows of a result on the job item, as JSON; null otherwise
     */
    private record Delivered(ResultManifest manifest, ResultLocation location, byte[] itemRows) {}

    private Mono<Delivered> load(Job job) {
        ResultSummary summary = job.result();
        if (summary.onItem()) {
            return Mono.fromSupplier(() -> fromItem(job));
        }
        ResultLocation location = summary.manifest();
        if (!location.isUnder(job.tenantId(), job.jobId())) {
            log.error("refused a manifest outside the job's folder job={} tenant={} manifest={}", job.jobId(), job.tenantId(), location);
            return Mono.error(new ProblemException(Problems.resultUnreadable()));
        }
        return objects.manifest(location)
                .timeout(properties.readTimeout())
                .onErrorMap(error -> problem(job, "manifest " + location, error))
                .map(manifest -> new Delivered(checked(job, location, manifest), location, null));
    }

    private ResultManifest checked(Job job, ResultLocation location, ResultManifest manifest) {
        if (manifest.disposition() == Disposition.INLINE
                && (manifest.format() != ResultFormat.JSON_ARRAY || manifest.compression() != Compression.NONE)) {
            log.error("refused an inline manifest that is not uncompressed JSON_ARRAY job={} tenant={} manifest={} format={} compression={}",
                    job.jobId(), job.tenantId(), location, manifest.format(), manifest.compression());
            throw new ProblemException(Problems.resultUnreadable());
        }
        for (ResultManifest.Chunk chunk : manifest.chunks()) {
            if (!chunkLocation(location, chunk).map(at -> at.isUnder(job.tenantId(), job.jobId())).orElse(false)) {
                log.error("refused a manifest naming a chunk outside the job's folder job={} tenant={} manifest={} chunk={}",
                        job.jobId(), job.tenantId(), location, chunk.index());
                throw new ProblemException(Problems.resultUnreadable());
            }
        }
        return manifest;
    }

    private static Optional<ResultLocation> chunkLocation(ResultLocation manifest, ResultManifest.Chunk chunk) {
        try {
            return Optional.of(new ResultLocation(manifest.bucket(), chunk.key()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The legacy document on the item, {@code {"columns":[...],"rows":[...],"row_count":N}}, as a one-chunk result. */
    private Delivered fromItem(Job job) {
        ResultSummary summary = job.result();
        try {
            JsonNode document = itemReader.readTree(requireNonNull(job.resultJson(), "the item holds no result document"));
            JsonNode rows = document.get("rows");
            if (rows == null || !rows.isArray()) {
                throw new IllegalArgumentException("no rows array");
            }
            List<ResultManifest.Column> columns = new ArrayList<>();
            JsonNode columnNodes = document.get("columns");
            if (columnNodes != null) {
                for (JsonNode column : columnNodes) {
                    columns.add(new ResultManifest.Column(column.get("name").stringValue(), column.get("type").stringValue()));
                }
            }
            ResultManifest manifest = new ResultManifest(ResultManifest.SCHEMA_VERSION, Disposition.INLINE, ResultFormat.JSON_ARRAY,
                    Compression.NONE, columns, summary.rowCount(), summary.byteCount(), summary.truncated(),
                    List.of(new ResultManifest.Chunk(0, 0, summary.rowCount(), summary.byteCount(), ON_ITEM)));
            return new Delivered(manifest, null, jsonMapper.writeValueAsBytes(rows));
        } catch (RuntimeException e) { // JacksonException too: Jackson 3 throws unchecked
            log.error("the result document on the item cannot be read job={} tenant={}: {}", job.jobId(), job.tenantId(), e.toString());
            throw new ProblemException(Problems.resultUnreadable(), e);
        }
    }

    private int chunkIndex(String rawIndex, int chunkCount) {
        if (rawIndex == null || !INDEX.matcher(rawIndex).matches() || Integer.parseInt(rawIndex) >= chunkCount) {
            throw new ProblemException(Problems.chunkNotFound(chunkCount));
        }
        return Integer.parseInt(rawIndex);
    }

    /** The chunk's rows: from the item, or streamed from its object. */
    private Flux<DataBuffer> rows(Job job, Delivered delivered, int index) {
        if (delivered.manifest().chunks().isEmpty()) {
            return Flux.just(buffer(NO_ROWS));
        }
        if (delivered.itemRows() != null) {
            return Flux.just(buffer(delivered.itemRows()));
        }
        ResultLocation chunk = new ResultLocation(delivered.location().bucket(), delivered.manifest().chunks().get(index).key());
        // Only the wait for the first bytes is bounded: a large chunk to a slow client takes what it takes.
        return objects.content(chunk)
                .timeout(Mono.delay(properties.readTimeout()), next -> Mono.never())
                .onErrorMap(error -> problem(job, "chunk " + chunk, error));
    }

    /**
     * {@code head}, the rows, {@code tail}. Nothing is written until the rows' first bytes arrive, so that a
     * chunk that cannot be read is still answered with a problem.
     */
    private Flux<DataBuffer> rowsBetween(Job job, byte[] head, Flux<DataBuffer> rows, String tail) {
        return rows.switchOnFirst((first, all) -> {
            if (first.hasValue()) {
                return Flux.concat(Mono.fromSupplier(() -> buffer(head)), all,
                        Mono.fromSupplier(() -> buffer(tail.getBytes(StandardCharsets.UTF_8))));
            }
            if (first.isOnError()) {
                return all;
            }
            log.error("a result chunk is empty job={} tenant={}", job.jobId(), job.tenantId());
            return Flux.error(new ProblemException(Problems.resultUnreadable()));
        });
    }

    private Mono<List<ResultDocuments.Chunk>> signAll(Job job, Delivered delivered, List<ResultDocuments.Chunk> chunks) {
        return Mono.fromCallable(() -> {
                    // re-checked at signing: a link is never signed for a job past its retention
                    Instant now = clock.instant();
                    if (!job.isRetainedAt(now)) {
                        throw new ProblemException(Problems.resultExpired());
                    }
                    Duration ttl = linkTtl(job, now);
                    List<ResultDocuments.Chunk> signed = new ArrayList<>(chunks.size());
                    for (ResultDocuments.Chunk chunk : chunks) {
                        ResultLocation file = new ResultLocation(delivered.location().bucket(),
                                delivered.manifest().chunks().get(chunk.index()).key());
                        signed.add(chunk.withLink(objects.sign(file, ttl)));
                    }
                    linksSigned.increment(signed.size());
                    return List.copyOf(signed);
                })
                .subscribeOn(signing)
                .onErrorMap(error -> error instanceof ProblemException ? error : problem(job, "signing", error));
    }

    /**
     * The configured TTL, cut to the job's remaining retention, in the whole seconds SigV4 counts, at least the
     * 1 s it allows.
     */
    private Duration linkTtl(Job job, Instant now) {
        Duration retained = Duration.between(now, job.expiresAt());
        Duration ttl = properties.linkTtl().compareTo(retained) <= 0 ? properties.linkTtl() : retained;
        return Duration.ofSeconds(Math.max(1, ttl.toSeconds()));
    }

    private Throwable problem(Job job, String what, Throwable error) {
        return switch (error) {
            case ProblemException problem -> problem;
            case ResultObjects.ObjectMissingException missing -> {
                log.warn("result object gone, answered as expired job={} tenant={} {}: {}", job.jobId(), job.tenantId(), what,
                        missing.getMessage());
                yield new ProblemException(Problems.resultExpired(), error);
            }
            case ResultObjects.UnreadableManifestException unreadable -> {
                log.error("result cannot be served job={} tenant={} {}: {}", job.jobId(), job.tenantId(), what, unreadable.getMessage());
                yield new ProblemException(Problems.resultUnreadable(), error);
            }
            case TimeoutException timeout -> {
                log.warn("results bucket did not answer within {} job={} tenant={} {}", properties.readTimeout(), job.jobId(),
                        job.tenantId(), what);
                yield new ProblemException(Problems.storageUnavailable(), error);
            }
            default -> {
                log.warn("results bucket failed job={} tenant={} {}: {}", job.jobId(), job.tenantId(), what, error.toString());
                yield new ProblemException(Problems.storageUnavailable(), error);
            }
        };
    }

    private ResultDocuments.Manifest document(Job job, ResultManifest manifest, List<ResultDocuments.Chunk> chunks) {
        return new ResultDocuments.Manifest(job.jobId().value(), manifest.disposition(), manifest.format(), manifest.compression(),
                manifest.columns(), manifest.totalRowCount(), manifest.totalByteCount(), manifest.truncated(),
                manifest.chunks().size(), chunks);
    }

    private static String nextChunk(Job job, ResultManifest manifest, int index) {
        return index + 1 < manifest.chunks().size() ? QUERIES + "/" + job.jobId().value() + "/results/chunks/" + (index + 1) : null;
    }

    private String nextChunkMember(Job job, ResultManifest manifest, int index) {
        String next = nextChunk(job, manifest, index);
        return next == null ? "" : ",\"next_chunk\":" + jsonMapper.writeValueAsString(next);
    }

    /** A serialized object without its closing brace, followed by {@code ,"rows":}. */
    private static byte[] openObject(byte[] object) {
        if (object.length < 2 || object[object.length - 1] != '}') {
            throw new IllegalStateException("not a serialized JSON object");
        }
        byte[] rows = (object.length == 2 ? "\"rows\":" : ",\"rows\":").getBytes(StandardCharsets.UTF_8);
        byte[] head = Arrays.copyOf(object, object.length - 1 + rows.length);
        System.arraycopy(rows, 0, head, object.length - 1, rows.length);
        return head;
    }

    private byte[] bytes(Object document) {
        return jsonMapper.writeValueAsBytes(document);
    }

    private static DataBuffer buffer(byte[] bytes) {
        return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
    }

    private void count(String answer, ResultManifest manifest) {
        Counter.builder("spectra.results.served")
                .description("Result answers served, by answer (manifest or chunk), disposition and format")
                .tag("answer", answer)
                .tag("disposition", manifest.disposition().name())
                .tag("format", manifest.format().name())
                .register(meters)
                .increment();
    }

    private static ResponseEntity<Flux<DataBuffer>> answer(Flux<DataBuffer> body) {
        // links are bearer credentials for the files, and rows are the tenant's data: no shared cache keeps either
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore()).body(body);
    }
}
