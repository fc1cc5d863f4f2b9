package dev.spectra.queryworker.execution;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/** How a tracked statement ended, as far as this worker is concerned. */
public sealed interface StatementOutcome {

    /** FINISHED. Without a result set (not expected for the guarded queries) both sizes are 0. */
    record Finished(long resultRows, long resultBytes) implements StatementOutcome {
    }

    /** FAILED, with the warehouse's explanation. */
    record Failed(String message) implements StatementOutcome {
        public Failed {
            requireNonNull(message, "message is null");
        }
    }

    /** ABORTED: cancelled in the warehouse by someone else. */
    record Aborted() implements StatementOutcome {
    }

    /** Still running at the statement timeout; this worker asked the warehouse to cancel it. */
    record TimedOut(Duration limit) implements StatementOutcome {
        public TimedOut {
            requireNonNull(limit, "limit is null");
        }
    }

    /** The warehouse no longer answers for the statement (unknown id, access revoked). */
    record Lost(String message) implements StatementOutcome {
        public Lost {
            requireNonNull(message, "message is null");
        }
    }
}
