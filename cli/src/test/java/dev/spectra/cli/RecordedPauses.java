package dev.spectra.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Pause} that does not wait: it writes down how long it was asked to. */
final class RecordedPauses implements Pause {

    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @Override
    public void pause(Duration duration) {
        pauses.add(duration);
    }

    List<Duration> pauses() {
        return List.copyOf(pauses);
    }
}
