package dev.spectra.common.metrics;

import dev.spectra.common.aws.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * {@code spectra.dataapi.calls{operation,outcome}}: every attempt at a Redshift Data API call, counted where the
 * caller decides what to do about its answer, so that one attempt is one count:
 * <ul>
 *   <li>{@code success};</li>
 *   <li>{@code throttled}: refused for the account's quotas (throttling, too many active statements or sessions);</li>
 *   <li>{@code retried}: failed otherwise (an outage, a refused session) and tried again;</li>
 *   <li>{@code failed}: failed otherwise and given up: repeating it could not help, or no time was left.</li>
 * </ul>
 * Both workers call the Data API; the SDK itself retries nothing, so these are all the attempts.
 */
public final class DataApiCalls {

    public enum Outcome {
        SUCCESS, THROTTLED, RETRIED, FAILED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry meters;

    /** Registers every outcome of each of {@code operations} up front, so that dashboards show zeros rather than gaps. */
    public DataApiCalls(MeterRegistry meters, List<String> operations) {
        this.meters = requireNonNull(meters, "meters is null");
        for (String operation : operations) {
            for (Outcome outcome : Outcome.values()) {
                counter(operation, outcome);
            }
        }
    }

    public void succeeded(String operation) {
        counter(operation, Outcome.SUCCESS).increment();
    }

    /** A failed attempt, as the classifier judged it; {@code retrying}: the caller tries the call again. */
    public void failed(String operation, Verdict verdict, boolean retrying) {
        counter(operation, outcomeOf(verdict, retrying)).increment();
    }

    static Outcome outcomeOf(Verdict verdict, boolean retrying) {
        if (verdict.kind() == Verdict.Kind.THROTTLED) {
            return Outcome.THROTTLED;
        }
        return retrying ? Outcome.RETRIED : Outcome.FAILED;
    }

    private Counter counter(String operation, Outcome outcome) {
        return Counter.builder("spectra.dataapi.calls")
                .description("Redshift Data API call attempts by operation and outcome: success, throttled, retried, failed")
                .tags("operation", requireNonNull(operation, "operation is null"), "outcome", outcome.tag())
                .register(meters);
    }
}
