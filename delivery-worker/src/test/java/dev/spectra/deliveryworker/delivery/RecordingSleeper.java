package dev.spectra.deliveryworker.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records the backoff the code asked for and returns at once. */
public final class RecordingSleeper implements Sleeper {

    private final List<Duration> pauses = new ArrayList<>();

    @Override
    public synchronized void sleep(Duration duration) {
        pauses.add(duration);
    }

    public synchronized List<Duration> pauses() {
        return List.copyOf(pauses);
    }
}
