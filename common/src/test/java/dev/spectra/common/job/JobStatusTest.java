package dev.spectra.common.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.Set;

import static dev.spectra.common.job.JobStatus.CANCELLED;
import static dev.spectra.common.job.JobStatus.DELIVERING;
import static dev.spectra.common.job.JobStatus.FAILED;
import static dev.spectra.common.job.JobStatus.QUEUED;
import static dev.spectra.common.job.JobStatus.RUNNING;
import static dev.spectra.common.job.JobStatus.SUCCEEDED;
import static dev.spectra.common.job.JobStatus.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;

class JobStatusTest {

    @Test
    void queuedMayStartOrEnd() {
        assertThat(allowedFrom(QUEUED)).containsExactlyInAnyOrder(RUNNING, FAILED, CANCELLED, TIMED_OUT);
    }

    @Test
    void runningMayDeliverOrEnd() {
        assertThat(allowedFrom(RUNNING)).containsExactlyInAnyOrder(DELIVERING, FAILED, CANCELLED, TIMED_OUT);
    }

    @Test
    void deliveringMaySucceedOrEnd() {
        assertThat(allowedFrom(DELIVERING)).containsExactlyInAnyOrder(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT);
    }

    @ParameterizedTest
    @EnumSource(names = {"SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT"})
    void terminalStatesGoNowhere(JobStatus terminal) {
        assertThat(terminal.isTerminal()).isTrue();
        assertThat(allowedFrom(terminal)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(names = {"QUEUED", "RUNNING", "DELIVERING"})
    void activeStatesAreNotTerminal(JobStatus active) {
        assertThat(active.isTerminal()).isFalse();
    }

    @Test
    void noStateSkipsBackwards() {
        assertThat(JobStatus.isAllowedTransition(RUNNING, QUEUED)).isFalse();
        assertThat(JobStatus.isAllowedTransition(DELIVERING, RUNNING)).isFalse();
        assertThat(JobStatus.isAllowedTransition(QUEUED, SUCCEEDED)).isFalse();
        assertThat(JobStatus.isAllowedTransition(QUEUED, QUEUED)).isFalse();
    }

    private static Set<JobStatus> allowedFrom(JobStatus from) {
        Set<JobStatus> allowed = EnumSet.noneOf(JobStatus.class);
        for (JobStatus to : JobStatus.values()) {
            if (JobStatus.isAllowedTransition(from, to)) {
                allowed.add(to);
            }
        }
        return allowed;
    }
}
