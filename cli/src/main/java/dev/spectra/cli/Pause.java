package dev.spectra.cli;

import java.time.Duration;

/** How the client waits between retries; tests pass one that records the waits instead of sleeping. */
@FunctionalInterface
interface Pause {

    void pause(Duration duration) throws InterruptedException;

    static Pause sleeping() {
        return Thread::sleep;
    }
}
