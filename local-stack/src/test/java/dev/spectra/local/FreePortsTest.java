package dev.spectra.local;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTest {

    @Test
    void neverHandsOutTheSamePortTwiceEvenWhenEachProbeClosedBeforeTheNext() {
        Set<Integer> ports = new HashSet<>();
        IntStream.range(0, 500).forEach(i -> assertThat(ports.add(FreePorts.next())).as("port handed out again").isTrue());
    }
}
