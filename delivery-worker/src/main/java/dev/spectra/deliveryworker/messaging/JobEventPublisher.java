package dev.spectra.deliveryworker.messaging;

import dev.spectra.common.job.Job;

/** Announces a job's stored state to downstream pipelines. */
public interface JobEventPublisher {

    /** Called after {@code job} was stored; pipelines may see a state twice, never one that was not stored. */
    void publish(Job job);
}
