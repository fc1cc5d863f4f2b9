package dev.spectra.deliveryworker.result;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.spectra.common.job.Job;
import dev.spectra.common.result.Disposition;
import dev.spectra.common.result.ResultLocation;
import dev.spectra.common.result.ResultManifest;
import dev.spectra.common.result.ResultManifest.Chunk;
import dev.spectra.common.result.ResultManifest.Column;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A result the warehouse wrote itself with {@code UNLOAD ... MANIFEST VERBOSE}: its files become the chunks, in the
 * order of the warehouse's manifest ({@code <prefix>manifest}: entries with url, content length and record count;
 * the schema's column names and types). Nothing is read but the manifest.
 */
public final class UnloadedResult {

    /** Where the query worker's UNLOAD writes, under the job's prefix. */
    public static final String FOLDER = "unload/";
    private static final String MANIFEST = "manifest";
    /** A manifest of 10,000 files is about 2MB. */
    private static final int MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

    private final ResultStore store;
    private final JsonMapper json;

    public UnloadedResult(ResultStore store, JsonMapper json) {
        this.store = requireNonNull(store, "store is null");
        this.json = requireNonNull(json, "json is null");
    }

    /**
     * @param limit  the tenant's result limit: a larger unload fails the job (the warehouse wrote it already; the
     *               lifecycle rule removes the files)
     * @param folder this delivery's folder, where the manifest goes
     */
    public WrittenResult collect(Job job, long limit, String folder) {
        String prefix = ResultLocation.jobPrefix(job.tenantId(), job.jobId()) + FOLDER;
        Redshift manifest = json.readValue(store.read(prefix + MANIFEST, MAX_MANIFEST_BYTES), Redshift.class);
        List<Chunk> chunks = new ArrayList<>();
        long rows = 0;
        long bytes = 0;
        for (Redshift.Entry entry : manifest.entries()) {
            ResultLocation file = ResultLocation.parse(entry.url());
            if (!file.bucket().equals(store.bucket()) || !file.isUnder(job.tenantId(), job.jobId())) {
                throw new IllegalStateException("the warehouse's manifest names a file outside the job's folder: " + file);
            }
            long count = entry.meta().recordCount() == null ? 0 : entry.meta().recordCount();
            chunks.add(new Chunk(chunks.size(), rows, count, entry.meta().contentLength(), file.key()));
            rows += count;
            bytes += entry.meta().contentLength();
        }
        if (bytes > limit) {
            return new WrittenResult.TooLarge(("the warehouse unloaded %d bytes; this tenant's results may be at most %d bytes "
                    + "(max_result_bytes). Ask for less with LIMIT or 'row_limit'.").formatted(bytes, limit));
        }
        List<Column> columns = manifest.schema() == null ? List.of() : manifest.schema().elements().stream()
                .map(element -> new Column(element.name(), element.type() == null ? "unknown" : element.type().base()))
                .toList();
        boolean truncated = job.delivery().rowLimit() != null && rows >= job.delivery().rowLimit();
        ResultManifest result = new ResultManifest(ResultManifest.SCHEMA_VERSION, Disposition.EXTERNAL_LINKS, job.delivery().format(),
                job.delivery().compression(), columns, rows, bytes, truncated, chunks);
        String key = folder + ResultManifest.FILE_NAME;
        store.put(key, json.writeValueAsBytes(result), "application/json");
        return new WrittenResult.Stored(result.summary(new ResultLocation(store.bucket(), key)));
    }

    /** Redshift's manifest, as UNLOAD's MANIFEST VERBOSE writes it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Redshift(@JsonProperty("entries") List<Entry> entries, @JsonProperty("schema") Schema schema) {
        Redshift {
            entries = entries == null ? List.of() : List.copyOf(entries);
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Entry(@JsonProperty("url") String url, @JsonProperty("meta") Meta meta) {
            Entry {
                requireNonNull(url, "url is null");
                requireNonNull(meta, "meta is null");
            }
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Meta(@JsonProperty("content_length") long contentLength, @JsonProperty("record_count") Long recordCount) {}

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Schema(@JsonProperty("elements") List<Element> elements) {
            Schema {
                elements = elements == null ? List.of() : List.copyOf(elements);
            }
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Element(@JsonProperty("name") String name, @JsonProperty("type") Type type) {}

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Type(@JsonProperty("base") String base) {}
    }
}
