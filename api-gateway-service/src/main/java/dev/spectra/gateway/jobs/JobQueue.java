package dev.spectra.gateway.jobs;

import dev.spectra.common.messaging.JobEvent;
import dev.spectra.common.messaging.JobRequested;
import reactor.core.publisher.Mono;

/** Where recorded jobs go to be run, and where their visible state changes are announced. */
public interface JobQueue {

    /** Hands a recorded job to the query workers; completes once the broker has acknowledged it. */
    Mono<Void> request(JobRequested request);

    /** Announces a job's state for downstream pipelines; completes once acknowledged. */
    Mono<Void> publish(JobEvent event);
}
