package dev.spectra.cli;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * One query from submission to the last byte of output: submit, follow the job with long polls, then print or save
 * the result. Every way it can end is an {@link ExitCode}; messages go to stderr, rows to stdout or {@code --out}.
 */
final class QueryRun {

    private final GatewayClient gateway;
    private final JsonMapper json;
    private final OutputStream stdout;
    private final PrintStream err;
    private final Terminal terminal;
    private final Function<Job, Progress> progressFor;
    private final CancelOnInterrupt interrupt;

    QueryRun(GatewayClient gateway, JsonMapper json, OutputStream stdout, PrintStream err, Terminal terminal,
             Function<Job, Progress> progressFor, CancelOnInterrupt interrupt) {
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.json = requireNonNull(json, "json is null");
        this.stdout = requireNonNull(stdout, "stdout is null");
        this.err = requireNonNull(err, "err is null");
        this.terminal = requireNonNull(terminal, "terminal is null");
        this.progressFor = requireNonNull(progressFor, "progressFor is null");
        this.interrupt = requireNonNull(interrupt, "interrupt is null");
    }

    ExitCode run(QueryOptions options) {
        try {
            ExitCode code = submitFollowAndDeliver(options);
            return interrupt.interrupted() ? ExitCode.INTERRUPTED : code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERRUPTED;
        } catch (RuntimeException | IOException e) {
            if (interrupt.interrupted()) {
                return ExitCode.INTERRUPTED; // the hook says what happened
            }
            return reportFailure(e);
        }
    }

    private ExitCode submitFollowAndDeliver(QueryOptions options) throws IOException, InterruptedException {
        if (options.out() != null) {
            FileOutput.checkWritable(options.out());
        }
        // One key for every attempt of this submission: a retry after a lost answer finds the job it made.
        String idempotencyKey = UUID.randomUUID().toString();
        interrupt.submitting();
        Job job = null;
        try {
            job = gateway.submit(SubmissionBody.of(options, json), idempotencyKey);
        } finally {
            interrupt.submitted(job == null ? null : job.jobId());
        }
        err.println("job " + job.jobId());

        Progress progress = progressFor.apply(job);
        interrupt.following(progress);
        try {
            while (!job.status().isTerminal()) {
                job = gateway.poll(job.jobId());
                progress.update(job);
            }
        } finally {
            progress.stop();
        }
        interrupt.ended();
        if (interrupt.interrupted()) {
            return ExitCode.INTERRUPTED;
        }
        if (job.status() != JobStatus.SUCCEEDED) {
            err.println(job.error() != null ? job.error().toString() : "job " + job.jobId() + " ended " + job.status());
            return ExitCode.of(job.status());
        }
        deliver(options, job.jobId(), gateway.manifest(job.jobId()));
        return ExitCode.SUCCEEDED;
    }

    private void deliver(QueryOptions options, String jobId, JsonNode manifest) throws IOException, InterruptedException {
        ResultRows rows = new ResultRows(gateway, json);
        if (options.format().isExport()) {
            List<ExportFiles.SavedFile> files = new ExportFiles(gateway).save(jobId, manifest, options.format(), options.out());
            if (files.size() == 1) {
                err.println("wrote " + files.getFirst().path() + " (" + files.getFirst().bytes() + " bytes)");
            } else {
                err.println("the result is " + files.size() + " Parquet files, one per chunk (Parquet files cannot be concatenated):");
                files.forEach(file -> err.println("  " + file.path() + " (" + file.bytes() + " bytes)"));
            }
        } else if (options.out() != null) {
            long[] written = new long[1];
            long bytes = FileOutput.write(options.out(), file -> {
                Writer writer = new BufferedWriter(new OutputStreamWriter(file, StandardCharsets.UTF_8), 1 << 16);
                written[0] = rows.feed(jobId, manifest, new JsonLinesSink(writer));
            });
            err.println("wrote " + options.out() + " (" + rowCount(written[0]) + ", " + bytes + " bytes)");
        } else {
            Writer writer = new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), 1 << 16);
            long printed = rows.feed(jobId, manifest, terminal.interactive() ? new TableSink(writer) : new TsvSink(writer));
            if (terminal.interactive()) {
                err.println("(" + rowCount(printed) + ")");
            }
        }
        if (manifest.path("truncated").asBoolean(false)) {
            err.println("note: the result is truncated: it holds its first " + manifest.path("total_row_count").asLong()
                    + " rows only (a row or byte limit cut it)");
        }
    }

    private ExitCode reportFailure(Exception failure) {
        switch (failure) {
            case ProblemException refused -> {
                err.println(refused.problem());
                return ExitCode.of(refused.problem());
            }
            case UsageException usage -> {
                err.println("spectra query: " + usage.getMessage());
                return ExitCode.REFUSED;
            }
            case UnavailableException unavailable -> {
                err.println("spectra query: " + unavailable.getMessage());
                return ExitCode.UNAVAILABLE;
            }
            case IOException io -> {
                err.println("spectra query: cannot write the result: " + io);
                return ExitCode.REFUSED;
            }
            case JacksonException unreadable -> {
                err.println("spectra query: unexpected answer from the gateway: not the JSON expected");
                return ExitCode.UNAVAILABLE;
            }
            case IllegalStateException unexpected -> {
                err.println("spectra query: unexpected answer from the gateway: " + unexpected.getMessage());
                return ExitCode.UNAVAILABLE;
            }
            default -> throw (RuntimeException) failure;
        }
    }

    private static String rowCount(long rows) {
        return rows + (rows == 1 ? " row" : " rows");
    }
}
