package dev.spectra.cli;

import tools.jackson.databind.JsonNode;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Downloads an export's chunk files in index order into {@code --out}. CSV and JSON Lines chunks concatenate into
 * one file (CSV keeping only the first chunk's header); Parquet files cannot be concatenated, so chunk {@code i > 0}
 * goes to {@code FILE.i}. A link that expired during a long download is signed again through the chunk endpoint.
 */
final class ExportFiles {

    /** One file written, and its size. */
    record SavedFile(Path path, long bytes) {
        SavedFile {
            requireNonNull(path, "path is null");
        }
    }

    private final GatewayClient gateway;

    ExportFiles(GatewayClient gateway) {
        this.gateway = requireNonNull(gateway, "gateway is null");
    }

    List<SavedFile> save(String jobId, JsonNode manifest, OutputFormat format, Path out) throws IOException, InterruptedException {
        List<JsonNode> chunks = chunksInOrder(manifest);
        if (format == OutputFormat.PARQUET) {
            List<SavedFile> saved = new ArrayList<>();
            for (JsonNode chunk : chunks) {
                int index = chunk.path("index").asInt();
                Path target = index == 0 ? out : out.resolveSibling(out.getFileName() + "." + index);
                saved.add(new SavedFile(target, FileOutput.write(target, file -> download(jobId, chunk, body -> body.transferTo(file)))));
            }
            return List.copyOf(saved);
        }
        long bytes = FileOutput.write(out, file -> {
            Concatenation concatenation = new Concatenation(file);
            for (JsonNode chunk : chunks) {
                boolean dropHeader = format == OutputFormat.CSV && chunk.path("index").asInt() > 0;
                download(jobId, chunk, body -> {
                    InputStream in = new BufferedInputStream(body, 1 << 16);
                    if (dropHeader) {
                        CsvHeader.skip(in);
                    }
                    concatenation.append(in);
                    return null;
                });
            }
        });
        return List.of(new SavedFile(out, bytes));
    }

    private <T> T download(String jobId, JsonNode chunk, GatewayClient.BodyReader<T> reader) throws InterruptedException {
        try {
            return gateway.download(link(chunk), reader);
        } catch (ProblemException e) {
            int status = e.problem().status();
            if (status != 400 && status != 403) {
                throw e;
            }
            // Links live for minutes; a long export can outlast the first ones. The chunk endpoint signs a new one.
            return gateway.download(link(gateway.chunk(jobId, chunk.path("index").asInt())), reader);
        }
    }

    static List<JsonNode> chunksInOrder(JsonNode manifest) {
        List<JsonNode> chunks = new ArrayList<>();
        manifest.path("chunks").forEach(chunks::add);
        chunks.sort(Comparator.comparingInt(chunk -> chunk.path("index").asInt()));
        int expected = manifest.path("chunk_count").asInt(chunks.size());
        if (chunks.size() != expected) {
            throw new IllegalStateException("the manifest lists " + chunks.size() + " chunks of " + expected);
        }
        return chunks;
    }

    private static URI link(JsonNode chunk) {
        JsonNode link = chunk.path("external_link");
        if (!link.isString()) {
            throw new IllegalStateException("chunk " + chunk.path("index") + " has no external_link");
        }
        return URI.create(link.stringValue());
    }

    /** Appends chunk files, making sure each one starts on a new line even if the one before did not end with one. */
    static final class Concatenation {
        private final OutputStream out;
        private final byte[] buffer = new byte[1 << 16];
        private int lastByte = '\n';

        Concatenation(OutputStream out) {
            this.out = requireNonNull(out, "out is null");
        }

        void append(InputStream in) throws IOException {
            int read = in.read(buffer);
            if (read <= 0) {
                return;
            }
            if (lastByte != '\n') {
                out.write('\n');
            }
            do {
                out.write(buffer, 0, read);
                lastByte = buffer[read - 1];
            } while ((read = in.read(buffer)) > 0);
        }
    }
}
