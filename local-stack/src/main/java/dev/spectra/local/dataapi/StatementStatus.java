package dev.spectra.local.dataapi;

/** The Data API's statement statuses, in the order a statement moves through them. */
enum StatementStatus {
    SUBMITTED,
    PICKED,
    STARTED,
    FINISHED,
    FAILED,
    ABORTED;

    boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == ABORTED;
    }
}
