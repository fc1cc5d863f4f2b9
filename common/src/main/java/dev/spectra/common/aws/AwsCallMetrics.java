package dev.spectra.common.aws;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Times every call one SDK client makes as {@value #METRIC}, tagged {@code service} ({@link AwsService#propertyName()}),
 * {@code operation} (the SDK's name: {@code GetItem}, {@code UploadPart}, {@code ExecuteStatement}) and {@code outcome}
 * ({@link CallOutcome}). One call is one timing, from the SDK's first attempt to its answer, the SDK's own retries
 * included; a call whose response streams (an S3 download) ends when its headers arrive. The buckets
 * ({@link #BUCKETS}) are fixed so that percentiles can be computed across instances without unbounded series.
 *
 * <p>Every service attaches one to each of its clients ({@link AwsClients}); the per-service metrics (Data API
 * calls by outcome, delivery retries) stay as they are: they count the callers' own attempts and decisions.
 */
public final class AwsCallMetrics implements ExecutionInterceptor {

    public static final String METRIC = "spectra.aws.calls";

    /** From a millisecond DynamoDB read to a Data API long poll or an upload part. */
    static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private static final ExecutionAttribute<Long> STARTED_NANOS = new ExecutionAttribute<>("SpectraAwsCallStartedNanos");

    private final MeterRegistry registry;
    private final AwsService service;
    private final AwsFailureClassifier classifier = new AwsFailureClassifier();
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    public AwsCallMetrics(MeterRegistry registry, AwsService service) {
        this.registry = requireNonNull(registry, "registry is null");
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED_NANOS, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(attributes, CallOutcome.SUCCESS);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(attributes, classifier.outcomeOf(context.exception()));
    }

    private void record(ExecutionAttributes attributes, CallOutcome outcome) {
        Long started = attributes.getAttribute(STARTED_NANOS);
        if (started == null) {
            // The call failed before the SDK ran the interceptors' first step: nothing was sent, nothing to time.
            return;
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        timers.computeIfAbsent(new TimerKey(operation == null ? "unknown" : operation, outcome), this::timer)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private Timer timer(TimerKey key) {
        return Timer.builder(METRIC)
                .description("AWS SDK calls, the SDK's retries included")
                .tag("service", service.propertyName())
                .tag("operation", key.operation())
                .tag("outcome", key.outcome().tag())
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    private record TimerKey(String operation, CallOutcome outcome) {
    }
}
