package dev.spectra.cli;

/** A command line the client cannot run: exit code 2, the message and a pointer to {@code --help}. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
