package dev.spectra.gateway.jobs;

import dev.spectra.common.messaging.JobEvent;
import dev.spectra.common.messaging.JobRequested;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** Keeps what would have been produced, and can refuse it the way an unreachable broker would. */
public final class RecordingJobQueue implements JobQueue {

    private final List<JobRequested> requests = new CopyOnWriteArrayList<>();
    private final List<JobEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    public void failWith(RuntimeException error) {
        failure.set(error);
    }

    public void reset() {
        requests.clear();
        events.clear();
        failure.set(null);
    }

    public List<JobRequested> requests() {
        return List.copyOf(requests);
    }

    public List<JobEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public Mono<Void> request(JobRequested request) {
        return Mono.defer(() -> {
            RuntimeException error = failure.get();
            if (error != null) {
                return Mono.error(error);
            }
            requests.add(request);
            return Mono.empty();
        });
    }

    @Override
    public Mono<Void> publish(JobEvent event) {
        return Mono.defer(() -> {
            RuntimeException error = failure.get();
            if (error != null) {
                return Mono.error(error);
            }
            events.add(event);
            return Mono.empty();
        });
    }
}
