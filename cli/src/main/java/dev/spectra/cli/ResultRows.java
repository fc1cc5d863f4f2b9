package dev.spectra.cli;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * Feeds a result's rows to a {@link RowSink}, chunk by chunk in index order. Inline: chunk 0's rows come with the
 * manifest and the others from the chunk endpoint. A default (AUTO) request whose result outgrew the inline limit
 * is delivered as linked JSON files instead; those are downloaded and read row by row, never whole.
 */
final class ResultRows {

    private final GatewayClient gateway;
    private final JsonMapper json;

    ResultRows(GatewayClient gateway, JsonMapper json) {
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.json = requireNonNull(json, "json is null");
    }

    /** Answers the rows fed. */
    long feed(String jobId, JsonNode manifest, RowSink sink) throws IOException, InterruptedException {
        sink.start(ResultColumn.listOf(manifest));
        long rows = 0;
        if ("EXTERNAL_LINKS".equals(manifest.path("disposition").asString())) {
            String format = manifest.path("format").asString();
            for (JsonNode chunk : ExportFiles.chunksInOrder(manifest)) {
                rows += gateway.download(URI.create(chunk.path("external_link").asString()), body -> switch (format) {
                    case "JSON_ARRAY" -> feedArray(body, sink);
                    case "JSON_LINES" -> feedLines(body, sink);
                    default -> throw new IllegalStateException("rows cannot be read from a " + format + " export");
                });
            }
        } else {
            rows += feedRows(manifest.path("rows"), sink);
            int chunkCount = manifest.path("chunk_count").asInt(1);
            for (int index = 1; index < chunkCount; index++) {
                rows += feedRows(gateway.chunk(jobId, index).path("rows"), sink);
            }
        }
        sink.finish();
        return rows;
    }

    private static long feedRows(JsonNode rows, RowSink sink) throws IOException {
        long fed = 0;
        for (JsonNode row : rows) {
            sink.row(row);
            fed++;
        }
        return fed;
    }

    private long feedArray(InputStream body, RowSink sink) throws IOException {
        long fed = 0;
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalStateException("a JSON_ARRAY chunk file that is not an array");
            }
            while (parser.nextToken() == JsonToken.START_ARRAY) {
                // One row at a time; the mapper's readTree would insist that the row be the whole input.
                sink.row(parser.readValueAsTree());
                fed++;
            }
        }
        return fed;
    }

    private long feedLines(InputStream body, RowSink sink) throws IOException {
        long fed = 0;
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (!line.isBlank()) {
                sink.row(json.readTree(line));
                fed++;
            }
        }
        return fed;
    }
}
