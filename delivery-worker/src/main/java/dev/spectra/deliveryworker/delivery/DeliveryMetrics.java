package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.aws.Dependency;
import dev.spectra.common.aws.Verdict;
import dev.spectra.common.job.Job;
import dev.spectra.common.metrics.DataApiCalls;
import dev.spectra.common.metrics.JobMetrics;
import dev.spectra.common.result.ResultSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The delivery worker's meters, registered up front so that dashboards show zeros rather than gaps. */
@Component
public class DeliveryMetrics {

    /** The Data API operations this worker calls, as {@code spectra.dataapi.calls} names them. */
    static final String GET_STATEMENT_RESULT = "GetStatementResult";
    static final String GET_STATEMENT_RESULT_V2 = "GetStatementResultV2";

    private final MeterRegistry registry;
    private final JobMetrics jobs;
    private final DataApiCalls dataApiCalls;
    private final Map<DeliveryOutcome, Timer> durations = new EnumMap<>(DeliveryOutcome.class);
    private final Map<Dependency, Counter> retries = new EnumMap<>(Dependency.class);
    private final DistributionSummary resultBytes;
    private final DistributionSummary rows;
    private final Counter resultStoreFailures;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.jobs = new JobMetrics(registry);
        this.dataApiCalls = new DataApiCalls(registry, List.of(GET_STATEMENT_RESULT, GET_STATEMENT_RESULT_V2));
        for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
            durations.put(outcome, Timer.builder("spectra.delivery.duration")
                    .description("Time to handle one finished statement, from reading the job to storing its outcome")
                    .tag("outcome", outcome.tag())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(5))
                    .maximumExpectedValue(Duration.ofMinutes(2))
                    .register(registry));
        }
        for (Dependency dependency : Dependency.values()) {
            retries.put(dependency, Counter.builder("spectra.delivery.retries")
                    .description("Calls retried after a transient failure")
                    .tag("dependency", dependency.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        resultBytes = DistributionSummary.builder("spectra.delivery.result.bytes")
                .description("Size of the results delivered, as stored")
                .baseUnit("bytes")
                .publishPercentileHistogram()
                .minimumExpectedValue(64.0)
                .maximumExpectedValue(1e11)
                .register(registry);
        resultStoreFailures = Counter.builder("spectra.delivery.s3.failures")
                .description("Deliveries failed by the results bucket (S3) after the client's own retries")
                .register(registry);
        rows = DistributionSummary.builder("spectra.delivery.rows")
                .description("Rows in the results delivered")
                .baseUnit("rows")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(1e9)
                .register(registry);
    }

    public Timer.Sample start() {
        return Timer.start(registry);
    }

    public void finished(Timer.Sample sample, DeliveryOutcome outcome) {
        sample.stop(durations.get(outcome));
    }

    /**
     * A result delivered: rows and bytes counted by disposition and format ({@code spectra.delivery.rows.delivered},
     * {@code spectra.delivery.bytes.delivered}), and the time from the lease to the stored outcome
     * ({@code spectra.delivery.export.duration}).
     */
    public void delivered(ResultSummary summary, Duration took) {
        rows.record(summary.rowCount());
        resultBytes.record(summary.byteCount());
        String disposition = summary.disposition().name().toLowerCase(Locale.ROOT);
        String format = summary.format().name().toLowerCase(Locale.ROOT);
        registry.counter("spectra.delivery.rows.delivered", "disposition", disposition, "format", format).increment(summary.rowCount());
        registry.counter("spectra.delivery.bytes.delivered", "disposition", disposition, "format", format).increment(summary.byteCount());
        Timer.builder("spectra.delivery.export.duration")
                .description("Time to write one result, from taking the job's lease to storing its outcome")
                .tags("disposition", disposition, "format", format)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry)
                .record(took);
    }

    void resultStoreFailed() {
        resultStoreFailures.increment();
    }

    void retried(Dependency dependency) {
        retries.get(dependency).increment();
    }

    /** This worker stored {@code ended}, the outcome of {@code delivering}: the job's delivery stage and its end. */
    void ended(Job delivering, Job ended) {
        jobs.deliveryEnded(delivering, ended);
        jobs.ended(ended);
    }

    void dataApiSucceeded(String operation) {
        dataApiCalls.succeeded(operation);
    }

    void dataApiFailed(String operation, Verdict verdict, boolean retrying) {
        dataApiCalls.failed(operation, verdict, retrying);
    }
}
