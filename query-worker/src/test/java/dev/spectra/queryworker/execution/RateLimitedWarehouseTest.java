package dev.spectra.queryworker.execution;

import dev.spectra.queryworker.config.DataApiProperties;
import dev.spectra.queryworker.testing.FakeWarehouse;
import dev.spectra.common.testing.MutableClock;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedWarehouseTest {

    private final AtomicLong nanos = new AtomicLong();
    private final List<Duration> waits = new ArrayList<>();
    private final TimeMeter time = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };
    /** Records the wait and lets the time pass, as a parked thread would see it. */
    private final BlockingStrategy waiting = parkNanos -> {
        waits.add(Duration.ofNanos(parkNanos));
        nanos.addAndGet(parkNanos);
    };
    private final FakeWarehouse warehouse = new FakeWarehouse(new MutableClock(Instant.parse("2025-01-01T00:00:00Z")));
    private final RateLimitedWarehouse limited = new RateLimitedWarehouse(warehouse, new DataApiProperties(2, 4, 1, 128),
            new SimpleMeterRegistry(), time, waiting);

    @Test
    void callsWithinTheRateGoThroughWithoutWaiting() {
        limited.executeStatement(aStatement());
        limited.executeStatement(aStatement());

        assertThat(waits).isEmpty();
        assertThat(warehouse.executeRequests()).hasSize(2);
    }

    @Test
    void aCallOverTheRateWaitsForItsShareOfTheNextSecond() {
        for (int i = 0; i < 3; i++) {
            limited.executeStatement(aStatement());
        }

        assertThat(waits).singleElement().satisfies(wait ->
                assertThat(wait).isBetween(Duration.ofMillis(499), Duration.ofMillis(501)));
        assertThat(warehouse.executeRequests()).hasSize(3);
    }

    @Test
    void eachKindOfCallHasItsOwnShare() {
        String id = limited.executeStatement(aStatement()).id();
        limited.executeStatement(aStatement());
        for (int i = 0; i < 4; i++) {
            limited.describeStatement(id);
        }

        assertThat(waits).isEmpty();
    }

    private static ExecuteStatementRequest aStatement() {
        return ExecuteStatementRequest.builder().clusterIdentifier("spectra").database("dev").dbUser("acme_reader")
                .sql("SELECT 1").build();
    }
}
