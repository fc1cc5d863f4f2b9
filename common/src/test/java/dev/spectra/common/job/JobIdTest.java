package dev.spectra.common.job;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobIdTest {

    @Test
    void randomIdsAreCanonicalUuidsAndDistinct() {
        JobId first = JobId.random();

        assertThat(JobId.tryParse(first.value())).contains(first);
        assertThat(JobId.random()).isNotEqualTo(first);
    }

    @Test
    void anythingButACanonicalUuidIsNotAnId() {
        assertThat(JobId.tryParse(null)).isEmpty();
        assertThat(JobId.tryParse("job-123")).isEmpty();
        assertThat(JobId.tryParse("00000000-0000-0000-0000-00000000000G")).isEmpty();
        assertThat(JobId.tryParse("A1B2C3D4-0000-0000-0000-000000000000")).isEmpty();
        assertThat(JobId.tryParse("../../etc/passwd")).isEmpty();
        assertThatThrownBy(() -> JobId.of("nope")).isInstanceOf(IllegalArgumentException.class);
    }
}
