package dev.spectra.gateway.problem;

import static java.util.Objects.requireNonNull;

/**
 * Ends a request with a problem answer. An expected outcome, not a fault: it carries no stack trace,
 * and its message is the problem's detail, which never contains SQL or tokens.
 */
public class ProblemException extends RuntimeException {

    private final Problem problem;

    public ProblemException(Problem problem) {
        super(requireNonNull(problem, "problem is null").code() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public ProblemException(Problem problem, Throwable cause) {
        super(requireNonNull(problem, "problem is null").code() + ": " + problem.detail(), cause, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
