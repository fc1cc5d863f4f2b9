package dev.spectra.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExitCodeTest {

    @Test
    void eachEndingOfAJobHasItsOwnExitStatus() {
        assertThat(ExitCode.of(JobStatus.SUCCEEDED).status()).isZero();
        assertThat(ExitCode.of(JobStatus.FAILED).status()).isEqualTo(1);
        assertThat(ExitCode.of(JobStatus.TIMED_OUT).status()).isEqualTo(3);
        assertThat(ExitCode.of(JobStatus.CANCELLED).status()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"QUEUED", "RUNNING", "DELIVERING"})
    void aJobThatHasNotEndedHasNoExitStatus(JobStatus status) {
        assertThat(status.isTerminal()).isFalse();
        assertThatThrownBy(() -> ExitCode.of(status)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClientErrorIsARefusalAndAServerErrorMeansUnavailable() {
        assertThat(ExitCode.of(new Problem(400, "SQL_NOT_READ_ONLY", "no")).status()).isEqualTo(2);
        assertThat(ExitCode.of(new Problem(401, "UNAUTHENTICATED", "no")).status()).isEqualTo(2);
        assertThat(ExitCode.of(new Problem(403, "TENANT_MISMATCH", "no")).status()).isEqualTo(2);
        assertThat(ExitCode.of(new Problem(429, "RATE_LIMITED", "no")).status()).isEqualTo(2);
        assertThat(ExitCode.of(new Problem(503, "STORAGE_UNAVAILABLE", "no")).status()).isEqualTo(5);
        assertThat(ExitCode.of(new Problem(500, "INTERNAL_ERROR", "no")).status()).isEqualTo(5);
    }

    @Test
    void anInterruptIsOneHundredAndThirtyAsShellsReportSigint() {
        assertThat(ExitCode.INTERRUPTED.status()).isEqualTo(130);
    }

    @Test
    void aProblemBodyGivesItsCodeAndDetailAndAnyOtherBodyStillGivesACode() {
        assertThat(Problem.from(400, "{\"status\":400,\"code\":\"PARAMETER_INVALID\",\"detail\":\"Parameter 'n' is INT\"}",
                RowsFixture.JSON).toString()).isEqualTo("PARAMETER_INVALID: Parameter 'n' is INT");
        assertThat(Problem.from(502, "<html>Bad Gateway</html>", RowsFixture.JSON))
                .isEqualTo(new Problem(502, "HTTP_502", "<html>Bad Gateway</html>"));
    }
}
