package dev.spectra.gateway.jobs;

import dev.spectra.common.job.Job;
import dev.spectra.common.job.JobStatus;
import dev.spectra.common.messaging.JobEvent;
import dev.spectra.gateway.events.JobEventHub;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Waits for a job to end (a long poll) and follows its states (the event stream), without a thread or a read loop
 * per client: both watch the job's events in the {@link JobEventHub} and read the job only when an event says
 * something changed, plus a read as soon as the watch is in place (an event that came before it is not missed)
 * and one every {@code fallbackRead} in case an event was lost. A wait of 50 s therefore costs at most
 * 1 + 50 s / {@code fallbackRead} reads and one read per event that ends the job, however short the job.
 */
public final class JobWaiter {

    private final JobStatusReads store;
    private final JobEventHub hub;
    private final Duration fallbackRead;
    private final MeterRegistry meters;

    public JobWaiter(JobStatusReads store, JobEventHub hub, Duration fallbackRead, MeterRegistry meters) {
        this.store = requireNonNull(store, "store is null");
        this.hub = requireNonNull(hub, "hub is null");
        this.fallbackRead = requireNonNull(fallbackRead, "fallbackRead is null");
        this.meters = requireNonNull(meters, "meters is null");
    }

    /** The job once it ended, or as it stands when {@code wait} elapsed; at once for a job that already ended. */
    public Mono<Job> awaitEnd(Job job, Duration wait) {
        if (job.status().isTerminal() || !wait.isPositive()) {
            return Mono.just(job);
        }
        Timer.Sample waiting = Timer.start(meters);
        return changes(job)
                .take(wait)
                .takeUntil(current -> current.status().isTerminal())
                .last(job)
                .doOnNext(ended -> waiting.stop(Timer.builder("spectra.gateway.wait")
                        .description("Time clients waited for a job with wait_seconds")
                        .tag("outcome", ended.status().isTerminal() ? "ended" : "timed_out")
                        .register(meters)));
    }

    /**
     * Every state the job passes through after {@code from}, in order, ending with the terminal one. The events
     * carry each transition with its time, so nothing is read for them; a fall-back read fills in a state whose
     * event was lost (and, if events came late, a state may then be skipped: a read sees only the newest).
     */
    public Flux<JobState> states(Job from) {
        if (from.status().isTerminal()) {
            return Flux.empty();
        }
        AtomicReference<JobState> last = new AtomicReference<>(JobState.of(from));
        Flux<JobState> fromEvents = hub.events(from.tenantId(), from.jobId()).map(JobState::of);
        Flux<JobState> fromReads = Flux.interval(Duration.ZERO, fallbackRead)
                .onBackpressureDrop()
                .concatMap(tick -> store.find(from.tenantId(), from.jobId()).onErrorResume(error -> Mono.empty()), 1)
                .map(JobState::of);
        return Flux.merge(fromEvents, fromReads)
                .filter(state -> {
                    JobState previous = last.get();
                    if (state.version() <= previous.version() || state.status() == previous.status()) {
                        return false;
                    }
                    last.set(state);
                    return true;
                })
                .takeUntil(state -> state.status().isTerminal());
    }

    /**
     * The job as read after each event that ended it, and after each fall-back tick, newer versions only.
     */
    private Flux<Job> changes(Job from) {
        AtomicLong seen = new AtomicLong(from.version());
        Flux<Object> triggers = Flux.merge(
                hub.events(from.tenantId(), from.jobId()).filter(event -> event.status().isTerminal()).map(JobEvent::status),
                Flux.interval(Duration.ZERO, fallbackRead));
        return triggers
                .onBackpressureLatest()
                .concatMap(trigger -> store.find(from.tenantId(), from.jobId()).onErrorResume(error -> Mono.empty()), 1)
                .filter(current -> current.version() > seen.getAndAccumulate(current.version(), Math::max));
    }

    /**
     * One state of a job as a stream shows it.
     *
     * @param errorCode why the job ended without a result; null otherwise
     */
    public record JobState(JobStatus status, long version, Instant at, Long rowCount, String errorCode) {
        static JobState of(Job job) {
            return new JobState(job.status(), job.version(), job.updatedAt(), job.rowCount(),
                    job.error() == null ? null : job.error().code());
        }

        static JobState of(JobEvent event) {
            return new JobState(event.status(), event.version(), event.occurredAt(), event.rowCount(), event.errorCode());
        }
    }
}
