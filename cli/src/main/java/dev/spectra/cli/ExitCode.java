package dev.spectra.cli;

/** The process's exit status, one per way a run can end; {@code --help} and the README list them. */
enum ExitCode {
    SUCCEEDED(0),
    /** The query failed in the warehouse (or its result could not be made). */
    FAILED(1),
    /** A usage error, or the API refused the request: any 4xx problem. */
    REFUSED(2),
    TIMED_OUT(3),
    /** Cancelled by someone else: our own Ctrl-C is {@link #INTERRUPTED}. */
    CANCELLED(4),
    /** 5xx answers after the retries, or no connection to the gateway. */
    UNAVAILABLE(5),
    /** Ctrl-C: 128 + SIGINT, as shells report it. */
    INTERRUPTED(130);

    private final int status;

    ExitCode(int status) {
        this.status = status;
    }

    int status() {
        return status;
    }

    static ExitCode of(JobStatus ended) {
        return switch (ended) {
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case TIMED_OUT -> TIMED_OUT;
            case CANCELLED -> CANCELLED;
            case QUEUED, RUNNING, DELIVERING -> throw new IllegalArgumentException("job has not ended: " + ended);
        };
    }

    static ExitCode of(Problem problem) {
        return problem.isServerError() ? UNAVAILABLE : REFUSED;
    }
}
