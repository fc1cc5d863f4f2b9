package dev.spectra.common.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private static final RandomGenerator ANY = new SplittableRandom(42);

    @Test
    void growsByTheMultiplierFromTheInitialDelay() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMinutes(1), 3, 0);

        assertThat(IntStream.rangeClosed(1, 4).mapToObj(retry -> backoff.delayBefore(retry, ANY)))
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(900), Duration.ofMillis(2700));
    }

    @Test
    void neverWaitsLongerThanTheMaximum() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(200), Duration.ofMillis(700));

        assertThat(backoff.delayBefore(1, ANY)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delayBefore(2, ANY)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delayBefore(3, ANY)).isEqualTo(Duration.ofMillis(700));
        assertThat(backoff.delayBefore(5, ANY)).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void saturatesAtTheMaximumForAnyNumberOfRetries() {
        Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(5)).withJitter(0.5);

        assertThat(backoff.delayBefore(Integer.MAX_VALUE, ANY))
                .isBetween(Duration.ofSeconds(150), Duration.ofMinutes(5));
    }

    @Test
    void fullJitterSpreadsPausesBetweenZeroAndTheCappedDelay() {
        Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(4)).withJitter(1);
        RandomGenerator random = new SplittableRandom(7);

        var pauses = IntStream.range(0, 1_000).mapToObj(i -> backoff.delayBefore(3, random)).toList();

        assertThat(pauses).allSatisfy(pause -> assertThat(pause).isBetween(Duration.ZERO, Duration.ofSeconds(4)));
        assertThat(pauses).anySatisfy(pause -> assertThat(pause).isLessThan(Duration.ofSeconds(1)));
        assertThat(pauses).anySatisfy(pause -> assertThat(pause).isGreaterThan(Duration.ofSeconds(3)));
    }

    @Test
    void equalJitterKeepsAtLeastHalfOfEachPause() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(10)).withJitter(0.5);
        RandomGenerator random = new SplittableRandom(7);

        var pauses = IntStream.range(0, 1_000).mapToObj(i -> backoff.delayBefore(2, random)).toList();

        assertThat(pauses).allSatisfy(pause -> assertThat(pause).isBetween(Duration.ofMillis(100), Duration.ofMillis(200)));
        assertThat(pauses).anySatisfy(pause -> assertThat(pause).isLessThan(Duration.ofMillis(120)));
        assertThat(pauses).anySatisfy(pause -> assertThat(pause).isGreaterThan(Duration.ofMillis(180)));
    }

    @Test
    void takesTheWholePauseWhenTheRandomDrawIsZero() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(10)).withJitter(1);
        RandomGenerator alwaysZero = () -> 0L;

        assertThat(backoff.delayBefore(2, alwaysZero)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void constantPausesWithMultiplierOne() {
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(1), 1, 0);

        assertThat(backoff.delayBefore(1, ANY)).isEqualTo(backoff.delayBefore(9, ANY)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void refusesRetriesCountedFromZero() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1));

        assertThatThrownBy(() -> backoff.delayBefore(0, ANY)).hasMessageContaining("counted from 1");
    }

    @Test
    void refusesMaximumBelowInitialDelay() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialDelay <= maxDelay");
    }

    @Test
    void refusesNegativeInitialDelay() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesShrinkingOrUndefinedMultiplier() {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), 0.5, 0)).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), Double.NaN, 0)).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), Double.POSITIVE_INFINITY, 0)).hasMessageContaining("multiplier");
    }

    @Test
    void refusesJitterOutsideZeroToOne() {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), 2, 1.5)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), 2, -0.1)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), 2, Double.NaN)).hasMessageContaining("jitter");
    }
}
