package dev.spectra.gateway.events;

import dev.spectra.common.job.JobId;
import dev.spectra.common.job.JobTable.JobKey;
import dev.spectra.common.messaging.JobEvent;
import dev.spectra.common.tenant.TenantId;
import dev.spectra.gateway.problem.ProblemException;
import dev.spectra.gateway.problem.Problems;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * This gateway's view of the job events: whoever waits for a job or streams its states watches it here, and the
 * events topic's listener ({@link JobEventListener}) hands every event to the job's watchers. A watch is a sink in
 * memory, not a thread and not a read loop; nothing is kept for a job nobody watches.
 *
 * <p>Watches are bounded per tenant ({@code spectra.gateway.queries.max-watches-per-tenant}): one tenant's open waits
 * and streams cannot use up the gateway's connections for the others. One more is a 429.
 */
public final class JobEventHub {

    private final Map<JobKey, Set<Sinks.Many<JobEvent>>> watches = new ConcurrentHashMap<>();
    private final Map<TenantId, AtomicInteger> perTenant = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final int maxPerTenant;

    public JobEventHub(int maxPerTenant, MeterRegistry meters) {
        if (maxPerTenant < 1) {
            throw new IllegalArgumentException("maxPerTenant must be positive: " + maxPerTenant);
        }
        this.maxPerTenant = maxPerTenant;
        Gauge.builder("spectra.gateway.watches", open, AtomicInteger::get)
                .description("Waits and event streams open on this gateway")
                .register(requireNonNull(meters, "meters is null"));
    }

    /** An event read from the topic; called from the listener's one thread. */
    public void accept(JobEvent event) {
        Set<Sinks.Many<JobEvent>> sinks = watches.get(new JobKey(event.tenantId(), event.jobId()));
        if (sinks != null) {
            sinks.forEach(sink -> sink.tryEmitNext(event));
        }
    }

    /**
     * The job's events from the moment of subscription, for as long as the subscriber stays; fails with a 429 when
     * the tenant already has {@code maxPerTenant} watches open.
     */
    public Flux<JobEvent> events(TenantId tenantId, JobId jobId) {
        return Flux.defer(() -> {
            AtomicInteger tenantWatches = perTenant.computeIfAbsent(tenantId, id -> new AtomicInteger());
            if (tenantWatches.incrementAndGet() > maxPerTenant) {
                tenantWatches.decrementAndGet();
                return Flux.error(new ProblemException(Problems.tooManyWatches(maxPerTenant)));
            }
            open.incrementAndGet();
            JobKey key = new JobKey(tenantId, jobId);
            Sinks.Many<JobEvent> sink = Sinks.many().unicast().onBackpressureBuffer();
            watches.computeIfAbsent(key, any -> new CopyOnWriteArraySet<>()).add(sink);
            return sink.asFlux().doFinally(signal -> {
                watches.computeIfPresent(key, (any, sinks) -> {
                    sinks.remove(sink);
                    return sinks.isEmpty() ? null : sinks;
                });
                tenantWatches.decrementAndGet();
                open.decrementAndGet();
            });
        });
    }
}
