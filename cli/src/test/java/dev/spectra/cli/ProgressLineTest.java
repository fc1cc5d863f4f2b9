package dev.spectra.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProgressLineTest {

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong();

    @AfterEach
    void stopTicker() {
        ticker.shutdownNow();
    }

    private String drawn() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void showsTheStateTheElapsedTimeAndTheRowsOnceKnown() {
        assertThat(ProgressLine.render(JobStatus.RUNNING, Duration.ofMillis(3_240), null)).isEqualTo("RUNNING      3.2s");
        assertThat(ProgressLine.render(JobStatus.DELIVERING, Duration.ofMillis(4_100), 120_000L)).isEqualTo("DELIVERING   4.1s 120000 rows");
        assertThat(ProgressLine.render(JobStatus.DELIVERING, Duration.ofSeconds(61), 1L)).isEqualTo("DELIVERING  61.0s 1 row");
    }

    @Test
    void redrawsTheLineInPlaceAsTheJobMovesAndLeavesItEmptyWhenStopped() {
        ProgressLine line = ProgressLine.start(err, ticker, now::get, new Job("j1", JobStatus.QUEUED, null, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> drawn().contains("\rQUEUED       0.0s"));

        now.set(Duration.ofMillis(4_100).toNanos());
        line.update(new Job("j1", JobStatus.DELIVERING, 120_000L, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> drawn().contains("\rDELIVERING   4.1s 120000 rows"));
        line.update(new Job("j1", JobStatus.DELIVERING, null, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> drawn().endsWith("\rDELIVERING   4.1s" + " ".repeat(" 120000 rows".length())));
        line.stop();

        assertThat(drawn()).endsWith("\r" + " ".repeat("DELIVERING   4.1s".length()) + "\r");
        assertThat(drawn()).doesNotContain("\n");
    }

    @Test
    void stoppingTwiceClearsOnce() {
        ProgressLine line = ProgressLine.start(err, ticker, now::get, new Job("j1", JobStatus.RUNNING, null, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> drawn().contains("RUNNING"));

        line.stop();
        String afterFirst = drawn();
        line.stop();

        assertThat(drawn()).isEqualTo(afterFirst);
    }

    @Test
    void theModeForcesTheLineOnOrOffAndOtherwiseFollowsTheTerminal() {
        assertThat(ProgressMode.AUTO.shows(true)).isTrue();
        assertThat(ProgressMode.AUTO.shows(false)).isFalse();
        assertThat(ProgressMode.ON.shows(false)).isTrue();
        assertThat(ProgressMode.OFF.shows(true)).isFalse();
    }
}
