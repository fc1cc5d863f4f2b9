package dev.spectra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU seconds used so far, as the OS counts them (user + system, every thread): by this JVM (the bench's clients and
 * the stack's in-process parts: Kafka, DynamoDB Local, the Data API emulator), by each process it started, grouped by
 * what it runs (a service's jar, {@code postgres}, S3Mock), and by the whole machine, other people's builds included.
 * Two readings give where a stretch of time's CPU went; processes that ended in between are not counted.
 */
record CpuTime(Map<String, Double> seconds) {

    static final String BENCH_JVM = "bench JVM (clients, Kafka, DynamoDB Local, Data API emulator)";
    static final String MACHINE = "machine (all processes, all cores)";
    /** USER_HZ: /proc/stat counts in hundredths of a second on Linux. */
    private static final double TICKS_PER_SECOND = 100;

    static CpuTime now() {
        Map<String, Double> seconds = new TreeMap<>();
        seconds.put(BENCH_JVM, cpuSeconds(ProcessHandle.current()));
        ProcessHandle.current().descendants().forEach(process ->
                seconds.merge(nameOf(process), cpuSeconds(process), Double::sum));
        seconds.put(MACHINE, machineBusySeconds());
        return new CpuTime(seconds);
    }

    /** The CPU seconds each process (group) used since {@code earlier}, rounded to milliseconds. */
    Map<String, Double> since(CpuTime earlier) {
        Map<String, Double> used = new LinkedHashMap<>();
        seconds.forEach((name, total) -> used.put(name, Math.round((total - earlier.seconds.getOrDefault(name, 0.0)) * 1000) / 1000.0));
        return used;
    }

    /** The CPU seconds of the one process (group) named, since {@code earlier}. */
    double of(String name, CpuTime earlier) {
        return seconds.getOrDefault(name, 0.0) - earlier.seconds.getOrDefault(name, 0.0);
    }

    /** The first process this JVM started that is named {@code name} ({@link #nameOf}), e.g. the gateway. */
    static java.util.Optional<ProcessHandle> process(String name) {
        return ProcessHandle.current().descendants().filter(process -> nameOf(process).equals(name)).findFirst();
    }

    /** CPU seconds {@code process} used so far; 0 when the OS does not say. */
    static double cpuSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
    }

    /** How a started process is named: a service by its jar ({@code api-gateway-service}), anything else by its command. */
    static String nameOf(ProcessHandle process) {
        String command = process.info().command().map(path -> Path.of(path).getFileName().toString()).orElse("unknown");
        String[] arguments = process.info().arguments().orElse(new String[0]);
        for (int i = 0; i + 1 < arguments.length; i++) {
            if (arguments[i].equals("-jar")) {
                return Path.of(arguments[i + 1]).getFileName().toString().replaceFirst("\\.jar$", "");
            }
        }
        return command;
    }

    /** Busy time of every core since boot (user, nice, system, irq, softirq, steal), from the first line of /proc/stat. */
    private static double machineBusySeconds() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(fields[field]);
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
