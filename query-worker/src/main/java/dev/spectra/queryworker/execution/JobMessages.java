package dev.spectra.queryworker.execution;

import dev.spectra.common.job.Job;
import dev.spectra.common.messaging.StatementFinished;

import java.util.concurrent.CompletableFuture;

/** What the worker tells the rest of the system. */
public interface JobMessages {

    /** Hands a finished statement to the delivery workers; completes once the message is stored by the broker. */
    CompletableFuture<Void> statementFinished(StatementFinished message);

    /** Announces a job's new state to pipelines. Best effort: a lost event is logged, never retried. */
    void jobChanged(Job job);
}
