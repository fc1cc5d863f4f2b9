package dev.spectra.cli;

/** A job's states as the API names them: {@code QUEUED -> RUNNING -> DELIVERING -> SUCCEEDED}, or one of the other endings. */
enum JobStatus {
    QUEUED, RUNNING, DELIVERING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT;

    boolean isTerminal() {
        return switch (this) {
            case QUEUED, RUNNING, DELIVERING -> false;
            case SUCCEEDED, FAILED, CANCELLED, TIMED_OUT -> true;
        };
    }
}
