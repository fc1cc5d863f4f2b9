package dev.spectra.queryworker.config;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much one worker takes on ({@code spectra.scheduling.*}).
 *
 * @param maxJobsInFlight     jobs this worker holds at once, waiting or running; one virtual thread each.
 *                            Beyond it the listener stops taking records (and the sweeper skips), default 2000
 * @param maxRunning          statements this worker runs at once across tenants, default 100. Each holds a
 *                            session, so it must be at most {@code spectra.sessions.max-open} (checked at start);
 *                            what is left between the two is room for idle sessions, so the default is half of
 *                            max-open's 200
 * @param maxRunningPerTenant one tenant's statements at once in this worker when the tenant registry gives it no
 *                            {@code max_concurrent_queries}, default 4
 */
@Validated
@ConfigurationProperties("spectra.scheduling")
public record SchedulingProperties(
        @Min(1) @DefaultValue("2000") int maxJobsInFlight,
        @Min(1) @DefaultValue("100") int maxRunning,
        @Min(1) @DefaultValue("4") int maxRunningPerTenant) {

    /**
     * Refuses a worker that could admit more statements than it may open sessions: an admitted job would then
     * wait in the session pool for another's statement to end, behind the scheduler's back.
     */
    public void requireSessionsFor(SessionsProperties sessions) {
        if (maxRunning > sessions.maxOpen()) {
            throw new IllegalArgumentException(("spectra.scheduling.max-running (%d) must be at most spectra.sessions.max-open (%d): "
                    + "every running statement holds a session").formatted(maxRunning, sessions.maxOpen()));
        }
    }
}
