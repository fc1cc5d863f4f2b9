package dev.spectra.gateway.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.tenant.TenantId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.spectra.gateway.support.JobFixtures.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;

class JobStatusReadsTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final String RESULT = "{\"columns\":[],\"rows\":[],\"row_count\":2}";

    private final InMemoryJobStore store = new InMemoryJobStore();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final JobStatusReads reads = new JobStatusReads(store, Duration.ofMinutes(10), meters);

    @Test
    void anEndedJobIsReadFromTheStoreOnceAndThenFromMemory() {
        Job succeeded = aQueuedJob().forTenant(ACME).succeeded(2, RESULT);
        store.save(succeeded);

        for (int i = 0; i < 5; i++) {
            assertThat(reads.find(ACME, succeeded.jobId()).block().status()).isEqualTo(succeeded.status());
        }

        assertThat(count("store")).isEqualTo(1);
        assertThat(count("memory")).isEqualTo(4);
    }

    @Test
    void aRunningJobIsReadFromTheStoreEveryTimeAndAStatusReadNeverCarriesTheResultDocument() {
        Job running = aQueuedJob().forTenant(ACME).running();
        Job succeeded = aQueuedJob().forTenant(ACME).succeeded(2, RESULT);
        store.save(running);
        store.save(succeeded);

        reads.find(ACME, running.jobId()).block();
        reads.find(ACME, running.jobId()).block();

        assertThat(count("store")).isEqualTo(2);
        assertThat(reads.find(ACME, succeeded.jobId()).block().resultJson()).isNull();
        assertThat(reads.find(TenantId.of("globex"), succeeded.jobId()).blockOptional()).isEmpty();
    }

    private double count(String source) {
        return meters.counter("spectra.gateway.status_reads", "source", source).count();
    }
}
