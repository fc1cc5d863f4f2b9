package dev.spectra.queryworker.execution;

import dev.spectra.common.job.JobId;
import dev.spectra.common.tenant.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * This worker's attempt to move one job forward for one request record. Every step runs on
 * {@link #executor()}, which puts the job's ids in the MDC and clears them afterwards. The run settles once:
 * acknowledged (the job needs this record no more) or abandoned (the record stays unacknowledged, Kafka
 * redelivers it and whoever gets it picks the job up where the job table says it stands).
 */
public final class JobRun {

    static final String JOB_ID = "jobId";
    static final String TENANT_ID = "tenantId";

    private static final Logger log = LoggerFactory.getLogger(JobRun.class);

    private final TenantId tenantId;
    private final JobId jobId;
    private final Executor calls;
    private final Runnable acknowledgement;
    private final AtomicBoolean settled = new AtomicBoolean();

    JobRun(TenantId tenantId, JobId jobId, Executor calls, Runnable acknowledgement) {
        this.tenantId = requireNonNull(tenantId, "tenantId is null");
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.calls = requireNonNull(calls, "calls is null");
        this.acknowledgement = requireNonNull(acknowledgement, "acknowledgement is null");
    }

    /** Runs tasks on the AWS-call pool with this job in the MDC. */
    public Executor executor() {
        return command -> calls.execute(() -> inContext(command));
    }

    /** Runs {@code action} on the calling thread with this job in the MDC, restoring what was there after. */
    public void inContext(Runnable action) {
        String outerJob = MDC.get(JOB_ID);
        String outerTenant = MDC.get(TENANT_ID);
        MDC.put(JOB_ID, jobId.value());
        MDC.put(TENANT_ID, tenantId.value());
        try {
            action.run();
        } finally {
            restore(JOB_ID, outerJob);
            restore(TENANT_ID, outerTenant);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** The job reached DELIVERING or an end, or is not this worker's to run: its record may be committed. */
    public void acknowledge() {
        if (settled.compareAndSet(false, true)) {
            try {
                acknowledgement.run();
            } catch (RuntimeException e) {
                // Typically the partition moved to another worker; it redelivers the record and finds the job settled.
                inContext(() -> log.warn("could not acknowledge the request record; it will be redelivered", e));
            }
        }
    }

    /** Leaves the record unacknowledged so that it is redelivered (to this or another worker). */
    public void abandon(String reason, Throwable cause) {
        if (settled.compareAndSet(false, true)) {
            inContext(() -> log.warn("{}; leaving the request unacknowledged for redelivery", reason, cause));
        }
    }
}
