package dev.spectra.cli;

import static java.util.Objects.requireNonNull;

/** The gateway answered with an error that retrying did not cure. */
final class ProblemException extends RuntimeException {

    private final transient Problem problem;

    ProblemException(Problem problem) {
        super(requireNonNull(problem, "problem is null").toString());
        this.problem = problem;
    }

    Problem problem() {
        return problem;
    }
}
