package dev.spectra.deliveryworker.messaging;

import dev.spectra.common.job.Job;

import java.util.ArrayList;
import java.util.List;

/** Keeps the jobs whose events would have been published. */
public final class RecordingJobEventPublisher implements JobEventPublisher {

    private final List<Job> published = new ArrayList<>();

    @Override
    public synchronized void publish(Job job) {
        published.add(job);
    }

    public synchronized List<Job> published() {
        return List.copyOf(published);
    }
}
