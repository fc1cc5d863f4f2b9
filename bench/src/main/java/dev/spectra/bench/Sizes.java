package dev.spectra.bench;

import java.time.Duration;

/**
 * How big each scenario is. {@link #QUICK} is a smoke run (about two minutes on an idle laptop), {@link #FULL}
 * the run whose numbers may be quoted.
 *
 * @param pollInterval      fixed pause between status polls (Spectra) and DescribeStatement calls (direct)
 * @param warmUp            warm-trivial: untimed round trips of each path before sampling
 * @param trivialSamples    warm-trivial: timed round trips of each path (interleaved)
 * @param drainJobs         drain: trivial jobs through Spectra, and statements through the Data API directly
 * @param drainSubmitters   drain: submitting threads per tenant
 * @param directClients     drain: closed-loop Data API clients of the baseline
 * @param noisySamples      noisy-neighbour: globex round trips unloaded, and again while acme floods
 * @param noisyWindow       noisy-neighbour: the loaded samples stop early when this much time has passed
 * @param floodHeavy        noisy-neighbour: acme's heavy queries in flight at once
 * @param floodBurst        noisy-neighbour: acme's trivial queries per burst (one burst a second at most)
 * @param slowStatements    in-flight: slow statements submitted at once
 * @param slowRows          in-flight: rows each slow statement counts
 * @param bounceJobs        bounce: jobs offered (half per tenant) while the fleet is bounced
 * @param exportRows        export: rows of the CSV export
 * @param submitters        submission: closed-loop clients, for the gateway and for the bare client alike
 * @param submissionsPerClient submission: measured submissions of each client, per path
 * @param statusPollWindow  submission: how long one job's status is read every {@code pollInterval} (and the idle interval)
 * @param waitSamples       wait: timed round trips of each of the three ways to wait (interleaved)
 */
public record Sizes(String mode, Duration pollInterval, int warmUp, int trivialSamples, int drainJobs, int drainSubmitters,
                    int directClients, int noisySamples, Duration noisyWindow, int floodHeavy, int floodBurst, int slowStatements, long slowRows,
                    int bounceJobs, long exportRows, int submitters, int submissionsPerClient, Duration statusPollWindow,
                    int waitSamples) {

    public static final Sizes QUICK = new Sizes("quick", Duration.ofMillis(10), 10, 40, 100, 4, 8, 25, Duration.ofSeconds(30), 4, 20, 16, 20_000_000, 100, 100_000,
            32, 10, Duration.ofSeconds(3), 20);
    public static final Sizes FULL = new Sizes("full", Duration.ofMillis(10), 50, 500, 500, 8, 16, 200, Duration.ofMinutes(5), 8, 20, 64, 20_000_000, 500, 1_000_000,
            32, 100, Duration.ofSeconds(10), 200);
}
