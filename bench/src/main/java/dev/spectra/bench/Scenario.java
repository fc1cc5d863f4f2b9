package dev.spectra.bench;

/** One benchmark: measures Spectra and its baseline in the same run. */
interface Scenario {

    String name();

    /** One sentence for the report: what is measured against what. */
    String description();

    ScenarioResult run(BenchContext context) throws Exception;

    /** A scenario that kills, restarts and adds processes runs last, on a stack of its own with three Kafka brokers. */
    default boolean bouncesTheStack() {
        return false;
    }
}
