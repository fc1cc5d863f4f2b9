package dev.spectra.cli;

import tools.jackson.databind.json.JsonMapper;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/** {@code ./spectra query}: the entry point, which reads the command line and wires the pieces together. */
public final class SpectraQuery {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private SpectraQuery() {}

    public static void main(String[] args) {
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        ExitCode code = run(List.of(args), System.getenv(), Terminal.detect(), stdout, err);
        System.exit(code.status());
    }

    static ExitCode run(List<String> args, Map<String, String> environment, Terminal terminal, OutputStream stdout, PrintStream err) {
        JsonMapper json = JsonMapper.builder().build();
        QueryOptions options;
        Connection connection;
        try {
            options = QueryOptions.parse(args);
            if (options.help()) {
                PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
                out.println(QueryOptions.USAGE);
                return ExitCode.SUCCEEDED;
            }
            connection = new ConnectionResolver(environment, json).resolve(options);
        } catch (UsageException e) {
            err.println("spectra query: " + e.getMessage());
            err.println("Try './spectra query --help'.");
            return ExitCode.REFUSED;
        }

        // HTTP/1.1: the gateway and S3 speak it; an h2c upgrade attempt would only add a round of negotiation.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
        GatewayClient gateway = new GatewayClient(http, connection, json, Pause.sleeping());
        CancelOnInterrupt interrupt = new CancelOnInterrupt(gateway, err);
        Runtime.getRuntime().addShutdownHook(interrupt.asShutdownHook());
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .daemon().name("spectra-query-progress").factory());
        try {
            Function<Job, Progress> progressFor = options.progress().shows(terminal.interactive())
                    ? job -> ProgressLine.start(err, ticker, System::nanoTime, job)
                    : job -> Progress.none();
            return new QueryRun(gateway, json, stdout, err, terminal, progressFor, interrupt).run(options);
        } finally {
            interrupt.finished();
            ticker.shutdownNow();
        }
    }
}
