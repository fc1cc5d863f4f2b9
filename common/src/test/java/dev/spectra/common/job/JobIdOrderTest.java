package dev.spectra.common.job;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class JobIdOrderTest {

    @Test
    void idsSortAsTheirJobsWereCreatedWhateverTheirRandomBits() {
        Instant start = Instant.parse("2026-12-02T10:00:00Z");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(JobId.createdAt(start.plusMillis(i)).value());
        }
        assertThat(ids).isSorted();
        assertThat(JobId.lowestAt(start.plusMillis(500))).isGreaterThan(ids.get(499)).isLessThanOrEqualTo(ids.get(500));
    }

    @Test
    void anIdIsAVersionSevenUuidThatParsesBack() {
        JobId id = JobId.random();
        assertThat(UUID.fromString(id.value()).version()).isEqualTo(7);
        assertThat(UUID.fromString(id.value()).variant()).isEqualTo(2);
        assertThat(JobId.tryParse(id.value())).contains(id);
        assertThat(JobId.random()).isNotEqualTo(id);
    }
}
