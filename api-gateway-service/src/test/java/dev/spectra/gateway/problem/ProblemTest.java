package dev.spectra.gateway.problem;

import dev.spectra.common.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class ProblemTest {

    @Test
    void writesTheStandardMembersFirstThenTheCodeThenExtensions() {
        Problem problem = new Problem(HttpStatus.CONFLICT, ErrorCode.RESULT_NOT_READY, "The job is RUNNING.")
                .withExtension("job_status", "RUNNING");

        assertThat(problem.body()).containsExactly(
                entry("type", "urn:spectra:problem:result-not-ready"),
                entry("title", "Result not ready"),
                entry("status", 409),
                entry("detail", "The job is RUNNING."),
                entry("code", "RESULT_NOT_READY"),
                entry("job_status", "RUNNING"));
    }

    @Test
    void extensionsCannotOverrideStandardMembers() {
        Problem problem = Problems.jobNotFound().withExtension("status", "RUNNING");

        assertThat(problem.body()).containsEntry("status", 404);
    }

    @Test
    void roundsRetryAfterUpToWholeSeconds() {
        assertThat(Problems.rateLimited(Duration.ofMillis(100)).headers()).containsEntry("Retry-After", "1");
        assertThat(Problems.rateLimited(Duration.ofMillis(2100)).headers()).containsEntry("Retry-After", "3");
    }
}
