package dev.spectra.common.job;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A job's lifecycle: {@code QUEUED -> RUNNING -> DELIVERING -> SUCCEEDED}, and FAILED, CANCELLED or
 * TIMED_OUT from any non-terminal state. This is the only table of allowed transitions.
 */
public enum JobStatus {
    QUEUED,
    RUNNING,
    DELIVERING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    TIMED_OUT;

    private static final Set<JobStatus> ENDINGS = EnumSet.of(FAILED, CANCELLED, TIMED_OUT);

    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = Map.of(
            QUEUED, union(EnumSet.of(RUNNING), ENDINGS),
            RUNNING, union(EnumSet.of(DELIVERING), ENDINGS),
            DELIVERING, union(EnumSet.of(SUCCEEDED), ENDINGS),
            SUCCEEDED, EnumSet.noneOf(JobStatus.class),
            FAILED, EnumSet.noneOf(JobStatus.class),
            CANCELLED, EnumSet.noneOf(JobStatus.class),
            TIMED_OUT, EnumSet.noneOf(JobStatus.class));

    public boolean isTerminal() {
        return ALLOWED.get(this).isEmpty();
    }

    public static boolean isAllowedTransition(JobStatus from, JobStatus to) {
        return ALLOWED.get(from).contains(to);
    }

    private static Set<JobStatus> union(Set<JobStatus> first, Set<JobStatus> second) {
        EnumSet<JobStatus> all = EnumSet.copyOf(first);
        all.addAll(second);
        return all;
    }
}
