package dev.spectra.queryworker.execution;

import dev.spectra.queryworker.config.DataApiProperties;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementResponse;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The worker's own share of the Data API's per-account quotas, one token bucket per kind of call
 * (bucket4j, refilled greedily, a second's worth of burst). A call over the rate waits on the job's
 * virtual thread; the time it waited is the {@code spectra.dataapi.rate_wait} timer.
 */
public final class RateLimitedWarehouse implements Warehouse {

    private final Warehouse warehouse;
    private final Limit executes;
    private final Limit describes;
    private final Limit others;

    public RateLimitedWarehouse(Warehouse warehouse, DataApiProperties rates, MeterRegistry meters) {
        this(warehouse, rates, meters, TimeMeter.SYSTEM_NANOTIME, BlockingStrategy.PARKING);
    }

    /** With a time source and a way of waiting of the caller's: for tests, which need no real waiting. */
    RateLimitedWarehouse(Warehouse warehouse, DataApiProperties rates, MeterRegistry meters, TimeMeter time,
            BlockingStrategy waiting) {
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        requireNonNull(rates, "rates is null");
        this.executes = new Limit("ExecuteStatement", rates.executesPerSecond(), meters, time, waiting);
        this.describes = new Limit("DescribeStatement", rates.describesPerSecond(), meters, time, waiting);
        this.others = new Limit("other", rates.othersPerSecond(), meters, time, waiting);
    }

    @Override
    public ExecuteStatementResponse executeStatement(ExecuteStatementRequest request) {
        executes.take();
        return warehouse.executeStatement(request);
    }

    @Override
    public DescribeStatementResponse describeStatement(String statementId) {
        describes.take();
        return warehouse.describeStatement(statementId);
    }

    @Override
    public DescribeStatementResponse describeStatement(String statementId, Duration waitUpTo) {
        describes.take();
        return warehouse.describeStatement(statementId, waitUpTo);
    }

    @Override
    public void cancelStatement(String statementId) {
        others.take();
        warehouse.cancelStatement(statementId);
    }

    @Override
    public Optional<String> findStatement(String statementName) {
        others.take();
        return warehouse.findStatement(statementName);
    }

    private static final class Limit {
        private final Bucket bucket;
        private final BlockingStrategy waiting;
        private final Timer waited;

        Limit(String operation, int perSecond, MeterRegistry meters, TimeMeter time, BlockingStrategy waiting) {
            this.bucket = Bucket.builder()
                    .addLimit(limit -> limit.capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)))
                    .withCustomTimePrecision(time)
                    .build();
            this.waiting = waiting;
            this.waited = Timer.builder("spectra.dataapi.rate_wait")
                    .description("Time Data API calls waited for this worker's share of the quota")
                    .tag("operation", operation)
                    .register(meters);
        }

        void take() {
            long started = System.nanoTime();
            try {
                bucket.asBlocking().consume(1, waiting);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Data API quota", e);
            }
            waited.record(Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
