package dev.spectra.deliveryworker.delivery;

import java.time.Duration;

/** Waits between retries; tests record the pauses instead of taking them. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;
}
