package dev.spectra.local;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What the compose mains ({@link ComposeProvisioning}, {@code DataApiEmulatorMain}) share: reading their environment,
 * and waiting for a neighbour container that compose started but that may not answer yet.
 */
public final class ComposeEnvironment {

    private static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

    private ComposeEnvironment() {
    }

    public static String required(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value;
    }

    /** Calls {@code attempt} until it succeeds, once a second, for at most {@code timeout}; then throws its last failure. */
    public static <T> T retry(String what, Duration timeout, Callable<T> attempt) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                return attempt.call();
            } catch (Exception e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(what + " did not succeed within " + timeout.toSeconds() + " s", e);
                }
                try {
                    Thread.sleep(RETRY_INTERVAL);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting: " + what, interrupted);
                }
            }
        }
    }
}
