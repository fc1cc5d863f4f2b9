package dev.spectra.cli;

import dev.spectra.cli.FakeGateway.Request;
import dev.spectra.cli.FakeGateway.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.spectra.cli.FakeGateway.job;
import static org.assertj.core.api.Assertions.assertThat;

/** A whole run against the in-process gateway: what reaches stdout, stderr and files, and the exit code. */
class QueryRunTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = "\"columns\":[{\"name\":\"region\",\"type\":\"varchar\"},{\"name\":\"n\",\"type\":\"int8\"}]";

    private final FakeGateway fake = new FakeGateway();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
    private final GatewayClient gateway = fake.client(new RecordedPauses());
    private final CancelOnInterrupt interrupt = new CancelOnInterrupt(gateway, err);

    @TempDir
    Path directory;

    QueryRunTest() throws IOException {}

    @AfterEach
    void stop() {
        fake.close();
    }

    private ExitCode run(Terminal terminal, String... arguments) {
        return new QueryRun(gateway, JSON, stdout, err, terminal, job -> Progress.none(), interrupt).run(QueryOptions.parse(List.of(arguments)));
    }

    private ExitCode run(String... arguments) {
        return run(new Terminal(false), arguments);
    }

    private String stdout() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    private void submissionAnswers(String status) {
        fake.on("POST", "/v1/queries", Response.json(202, job("j1", status)));
    }

    private static String inlineManifest(int chunkCount, String rows) {
        return "{\"job_id\":\"j1\",\"disposition\":\"INLINE\",\"format\":\"JSON_ARRAY\",\"compression\":\"NONE\"," + COLUMNS
                + ",\"total_row_count\":4,\"total_byte_count\":96,\"truncated\":false,\"chunk_count\":" + chunkCount
                + ",\"chunks\":[],\"rows\":" + rows + "}";
    }

    @Test
    void followsTheJobWithLongPollsUntilItEndsThenPrintsTabSeparatedRows() {
        submissionAnswers("QUEUED");
        fake.on("GET", "/v1/queries/j1",
                Response.json(202, job("j1", "RUNNING")),
                Response.json(202, "{\"job_id\":\"j1\",\"status\":\"DELIVERING\",\"row_count\":4}"),
                Response.json(200, "{\"job_id\":\"j1\",\"status\":\"SUCCEEDED\",\"row_count\":4}"));
        fake.on("GET", "/v1/queries/j1/results",
                Response.json(200, inlineManifest(1, "[[\"APAC\",750],[\"EU\",750],[\"LATAM\",750],[\"NA\",null]]")));

        ExitCode code = run("SELECT region, COUNT(*) AS n FROM sales GROUP BY region ORDER BY region");

        assertThat(code).isEqualTo(ExitCode.SUCCEEDED);
        assertThat(stdout()).isEqualTo("region\tn\nAPAC\t750\nEU\t750\nLATAM\t750\nNA\t\n");
        assertThat(stderr()).isEqualTo("job j1\n");
        assertThat(fake.requests("GET", "/v1/queries/j1")).hasSize(3).extracting(Request::query).containsOnly("wait_seconds=5");
        Request post = fake.requests("POST", "/v1/queries").getFirst();
        assertThat(UUID.fromString(post.header("Idempotency-Key"))).isNotNull();
    }

    @Test
    void aJobThatEndsAtOnceNeedsNoPoll() {
        submissionAnswers("SUCCEEDED");
        fake.on("GET", "/v1/queries/j1/results", Response.json(200, inlineManifest(1, "[[\"EU\",1]]")));

        assertThat(run("SELECT 1")).isEqualTo(ExitCode.SUCCEEDED);
        assertThat(fake.requests("GET", "/v1/queries/j1")).isEmpty();
    }

    @Test
    void readsFurtherInlineChunksInIndexOrder() {
        submissionAnswers("SUCCEEDED");
        fake.on("GET", "/v1/queries/j1/results", Response.json(200, inlineManifest(3, "[[\"APAC\",1]]")));
        fake.on("GET", "/v1/queries/j1/results/chunks/1", Response.json(200, "{\"index\":1,\"rows\":[[\"EU\",2]],\"next_chunk\":\"/v1/queries/j1/results/chunks/2\"}"));
        fake.on("GET", "/v1/queries/j1/results/chunks/2", Response.json(200, "{\"index\":2,\"rows\":[[\"NA\",3]]}"));

        run("SELECT 1");

        assertThat(stdout()).isEqualTo("region\tn\nAPAC\t1\nEU\t2\nNA\t3\n");
    }

    @Test
    void onATerminalPrintsATableAndTheRowCountAndNotesATruncatedResult() {
        submissionAnswers("SUCCEEDED");
        fake.on("GET", "/v1/queries/j1/results", Response.json(200,
                inlineManifest(1, "[[\"APAC\",750],[\"EU\",75]]").replace("\"truncated\":false", "\"truncated\":true")
                        .replace("\"total_row_count\":4", "\"total_row_count\":2")));

        run(new Terminal(true), "SELECT 1");

        assertThat(stdout().lines().toList()).containsExactly("region |   n", "-------+----", "APAC   | 750", "EU     |  75");
        assertThat(stderr()).contains("(2 rows)").contains("truncated").contains("first 2 rows");
    }

    @Test
    void aFailedJobExitsOneWithItsErrorCodeAndMessage() {
        submissionAnswers("QUEUED");
        fake.on("GET", "/v1/queries/j1", Response.json(200,
                "{\"job_id\":\"j1\",\"status\":\"FAILED\",\"error\":{\"code\":\"QUERY_FAILED\",\"message\":\"division by zero\"}}"));

        assertThat(run("SELECT 1/0")).isEqualTo(ExitCode.FAILED);
        assertThat(stderr()).contains("QUERY_FAILED: division by zero");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void aTimedOutJobExitsThreeAndACancelledOneFour() {
        submissionAnswers("QUEUED");
        fake.on("GET", "/v1/queries/j1", Response.json(200,
                "{\"job_id\":\"j1\",\"status\":\"TIMED_OUT\",\"error\":{\"code\":\"QUERY_TIMED_OUT\",\"message\":\"past 2 s\"}}"));
        assertThat(run("SELECT 1")).isEqualTo(ExitCode.TIMED_OUT);

        fake.on("GET", "/v1/queries/j1", Response.json(200,
                "{\"job_id\":\"j1\",\"status\":\"CANCELLED\",\"error\":{\"code\":\"QUERY_CANCELLED\",\"message\":\"cancelled\"}}"));
        assertThat(run("SELECT 1")).isEqualTo(ExitCode.CANCELLED);
        assertThat(stderr()).contains("QUERY_TIMED_OUT: past 2 s", "QUERY_CANCELLED: cancelled");
    }

    @Test
    void aRefusedSubmissionExitsTwoWithTheProblemsCodeAndDetail() {
        fake.on("POST", "/v1/queries", Response.problem(400, "SQL_NOT_READ_ONLY", "Only read-only queries are allowed."));

        assertThat(run("DROP TABLE sales")).isEqualTo(ExitCode.REFUSED);
        assertThat(stderr()).isEqualTo("SQL_NOT_READ_ONLY: Only read-only queries are allowed.\n");
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void aGatewayThatKeepsFailingExitsFive() {
        fake.on("POST", "/v1/queries", Response.problem(503, "STORAGE_UNAVAILABLE", "The job could not be recorded."));

        assertThat(run("SELECT 1")).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(stderr()).contains("STORAGE_UNAVAILABLE");
    }

    @Test
    void anExportConcatenatesItsCsvChunksKeepingOnlyTheFirstHeaderAndSendsNoCredentialsToTheLinks() throws IOException {
        submissionAnswers("SUCCEEDED");
        fake.on("GET", "/v1/queries/j1/results", Response.json(200, exportManifest("CSV", 3)));
        fake.on("GET", "/bucket/chunk-00000.csv", Response.bytes("region,n\nAPAC,1\n"));
        fake.on("GET", "/bucket/chunk-00001.csv", Response.bytes("region,n\nEU,2\nLATAM,3\n"));
        fake.on("GET", "/bucket/chunk-00002.csv", Response.bytes("region,n\n\"N\nA\",4"));
        Path out = directory.resolve("sales.csv");

        ExitCode code = run("--format", "csv", "--out", out.toString(), "SELECT * FROM sales");

        assertThat(code).isEqualTo(ExitCode.SUCCEEDED);
        assertThat(Files.readString(out)).isEqualTo("region,n\nAPAC,1\nEU,2\nLATAM,3\n\"N\nA\",4");
        assertThat(stderr()).contains("wrote " + out + " (" + Files.size(out) + " bytes)");
        assertThat(fake.requests().stream().filter(request -> request.path().startsWith("/bucket/")))
                .hasSize(3).allSatisfy(request -> assertThat(request.header("Authorization")).isNull());
        assertThat(JSON.readTree(fake.requests("POST", "/v1/queries").getFirst().body()).get("disposition").asString())
                .isEqualTo("EXTERNAL_LINKS");
        assertThat(Files.list(directory)).containsExactly(out); // no partial file left beside it
    }

    @Test
    void jsonLinesChunksAreJoinedOnNewLinesEvenWhenAChunkLacksItsLastOne() throws IOException {
        submissionAnswers("SUCCEEDED");
        fake.on("GET", "/v1/queries/j1/results", Response.json(200, exportManifest("JSON_LINES", 2)));
        fake.on("GET", "/bucket/chunk-00000.jsonl", Response.bytes("[\"APAC\",1]"));
        fake.on("GET", "/bucket/chunk-00001.jsonl", Response.bytes("[\"EU\",2]\n"));
        Path out = directory.resolve("sales.jsonl");

        run("--format", "jsonl", "--out", out.toString(), "SELECT 1");

        assertThat(Files.readString(out)).isEqualTo("[\"APAC\",1]\n[\"EU\",2]\n");
    }

    @Test
    void aParquetExportOfSeveralChunksWritesOneFilePerChunkAndSaysSo() throws IOException {
        submissionAnswers("SUCCEEDED");
        fake.on("GET", "/v1/queries/j1/results", Response.json(200, exportManifest("PARQUET", 2)));
        fake.on("GET", "/bucket/chunk-00000.parquet", Response.bytes("PAR1-zero"));
        fake.on("GET", "/bucket/chunk-00001.parquet", Response.bytes("PAR1-one"));
        Path out = directory.resolve("sales.parquet");

        run("--format", "parquet", "--out", out.toString(), "SELECT 1");

        assertThat(Files.readString(out)).isEqualTo("PAR1-zero");
        assertThat(Files.readString(directory.resolve("sales.parquet.1"))).isEqualTo("PAR1-one");
        assertThat(stderr()).contains("2 Parquet files", out.toString(), out + ".1");
    }

    @Test
    void aLinkThatExpiredIsSignedAgainThroughTheChunkEndpoint() throws IOException {
        submissionAnswers("SUCCEEDED");
        fake.on("GET", "/v1/queries/j1/results", Response.json(200, exportManifest("CSV", 1)));
        fake.on("GET", "/bucket/chunk-00000.csv", new Response(403, Map.of(), "expired".getBytes()));
        fake.on("GET", "/v1/queries/j1/results/chunks/0",
                Response.json(200, "{\"index\":0,\"external_link\":\"" + fake.url("/bucket/fresh-00000.csv") + "\"}"));
        fake.on("GET", "/bucket/fresh-00000.csv", Response.bytes("region,n\nEU,1\n"));
        Path out = directory.resolve("sales.csv");

        assertThat(run("--format", "csv", "--out", out.toString(), "SELECT 1")).isEqualTo(ExitCode.SUCCEEDED);
        assertThat(Files.readString(out)).isEqualTo("region,n\nEU,1\n");
    }

    @Test
    void anInlineResultSavedWithOutIsJsonLines() throws IOException {
        submissionAnswers("SUCCEEDED");
        fake.on("GET", "/v1/queries/j1/results", Response.json(200, inlineManifest(1, "[[\"APAC\",\"1.50\"],[null,2]]")));
        Path out = directory.resolve("rows.jsonl");

        run("--out", out.toString(), "SELECT 1");

        assertThat(Files.readString(out)).isEqualTo("[\"APAC\",\"1.50\"]\n[null,2]\n");
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).contains("wrote " + out + " (2 rows, ");
    }

    @Test
    void aDefaultRequestThatOutgrewTheInlineLimitIsReadFromItsLinkedJsonFiles() {
        submissionAnswers("SUCCEEDED");
        fake.on("GET", "/v1/queries/j1/results", Response.json(200, exportManifest("JSON_ARRAY", 2)));
        fake.on("GET", "/bucket/chunk-00000.json", Response.bytes("[[\"APAC\",1],[\"EU\",2]]"));
        fake.on("GET", "/bucket/chunk-00001.json", Response.bytes("[[\"NA\",3]]"));

        assertThat(run("SELECT 1")).as(this::stderr).isEqualTo(ExitCode.SUCCEEDED);

        assertThat(stdout()).isEqualTo("region\tn\nAPAC\t1\nEU\t2\nNA\t3\n");
    }

    @Test
    void anOutputFolderThatDoesNotExistIsRefusedBeforeAnythingIsSubmitted() {
        assertThat(run("--out", directory.resolve("missing/x.jsonl").toString(), "SELECT 1")).isEqualTo(ExitCode.REFUSED);
        assertThat(stderr()).contains("does not exist");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void anInterruptBetweenPollsCancelsTheJobAndTheRunEndsQuietly() {
        submissionAnswers("QUEUED");
        fake.on("GET", "/v1/queries/j1", Response.json(202, job("j1", "RUNNING")),
                Response.json(200, "{\"job_id\":\"j1\",\"status\":\"CANCELLED\",\"error\":{\"code\":\"QUERY_CANCELLED\",\"message\":\"x\"}}"));
        fake.on("POST", "/v1/queries/j1/cancel", Response.json(200, job("j1", "CANCELLED")));
        List<Job> seen = new ArrayList<>();
        // Ctrl-C arrives while the job runs: the hook's work is done from the progress callback, between two polls.
        Progress pressesCtrlC = new Progress() {
            @Override
            public void update(Job job) {
                seen.add(job);
                if (seen.size() == 1) {
                    interrupt.interrupt();
                }
            }

            @Override
            public void stop() {}
        };

        ExitCode code = new QueryRun(gateway, JSON, stdout, err, new Terminal(false), job -> pressesCtrlC, interrupt)
                .run(QueryOptions.parse(List.of("SELECT 1")));

        assertThat(code).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(fake.requests("POST", "/v1/queries/j1/cancel")).hasSize(1);
        assertThat(stderr()).isEqualTo("job j1\ncancelled job j1\n");
    }

    @Test
    void theTokenAppearsNowhereInTheOutput() {
        fake.on("POST", "/v1/queries", Response.problem(401, "UNAUTHENTICATED", "Bearer token rejected"));

        run("SELECT 1");

        assertThat(stdout() + stderr()).doesNotContain(FakeGateway.TOKEN).contains("UNAUTHENTICATED");
    }

    private String exportManifest(String format, int chunks) {
        String extension = switch (format) {
            case "CSV" -> "csv";
            case "JSON_LINES" -> "jsonl";
            case "PARQUET" -> "parquet";
            default -> "json";
        };
        StringBuilder list = new StringBuilder();
        for (int index = chunks - 1; index >= 0; index--) { // out of order: the client sorts by index
            list.append(list.isEmpty() ? "" : ",").append("{\"index\":").append(index).append(",\"row_offset\":0,\"row_count\":1,\"byte_count\":1,")
                    .append("\"external_link\":\"").append(fake.url("/bucket/chunk-0000" + index + "." + extension + "?X-Amz-Signature=s"))
                    .append("\",\"expires_at\":\"2026-11-25T03:05:06Z\"}");
        }
        return "{\"job_id\":\"j1\",\"disposition\":\"EXTERNAL_LINKS\",\"format\":\"" + format + "\",\"compression\":\"NONE\"," + COLUMNS
                + ",\"total_row_count\":4,\"total_byte_count\":40,\"truncated\":false,\"chunk_count\":" + chunks + ",\"chunks\":[" + list + "]}";
    }
}
