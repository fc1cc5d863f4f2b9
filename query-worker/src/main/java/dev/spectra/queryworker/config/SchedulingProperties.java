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
 * @param maxRunning          statements this worker runs at once across tenants, default 1000
 * @param maxRunningPerTenant one tenant's statements at once in this worker, default 4; keep it at most
 *                            {@code spectra.sessions.max-per-user}, so that an admitted job never waits for a session
 */
@Validated
@ConfigurationProperties("spectra.scheduling")
public record SchedulingProperties(
        @Min(1) @DefaultValue("2000") int maxJobsInFlight,
        @Min(1) @DefaultValue("1000") int maxRunning,
        @Min(1) @DefaultValue("4") int maxRunningPerTenant) {
}
