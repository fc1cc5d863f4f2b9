package dev.spectra.deliveryworker.delivery;

import dev.spectra.common.aws.Dependency;
import dev.spectra.deliveryworker.config.DeliveryProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** The delivery worker's meters, registered up front so that dashboards show zeros rather than gaps. */
@Component
public class DeliveryMetrics {

    private final MeterRegistry registry;
    private final Map<DeliveryOutcome, Timer> durations = new EnumMap<>(DeliveryOutcome.class);
    private final Map<Dependency, Counter> retries = new EnumMap<>(Dependency.class);
    private final DistributionSummary resultBytes;
    private final DistributionSummary rows;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
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
                .description("Size of the inline result documents delivered")
                .baseUnit("bytes")
                .publishPercentileHistogram()
                .minimumExpectedValue(64.0)
                .maximumExpectedValue((double) DeliveryProperties.INLINE_CEILING.toBytes())
                .register(registry);
        rows = DistributionSummary.builder("spectra.delivery.rows")
                .description("Rows in the results delivered")
                .baseUnit("rows")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(100_000.0)
                .register(registry);
    }

    public Timer.Sample start() {
        return Timer.start(registry);
    }

    public void finished(Timer.Sample sample, DeliveryOutcome outcome) {
        sample.stop(durations.get(outcome));
    }

    public void delivered(long rowCount, long bytes) {
        rows.record(rowCount);
        resultBytes.record(bytes);
    }

    void retried(Dependency dependency) {
        retries.get(dependency).increment();
    }
}
