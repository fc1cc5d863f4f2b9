package dev.spectra.common.job;

public class IllegalJobTransitionException extends IllegalStateException {

    private final JobStatus from;
    private final JobStatus to;

    public IllegalJobTransitionException(JobId jobId, JobStatus from, JobStatus to) {
        super("job %s cannot move from %s to %s".formatted(jobId, from, to));
        this.from = from;
        this.to = to;
    }

    public JobStatus from() {
        return from;
    }

    public JobStatus to() {
        return to;
    }
}
