package dev.spectra.bench;

/**
 * One measured number next to its baseline from the same run.
 *
 * @param ratio    measured / baseline
 * @param goal     the target, e.g. "<= +50 ms", or null when the scenario only reports
 * @param goalMet  null when there is no goal
 */
public record Comparison(String metric, String unit, String baselineLabel, double baseline, String measuredLabel,
                         double measured, double ratio, String goal, Boolean goalMet) {

    public static Comparison of(String metric, String unit, String baselineLabel, double baseline,
                                String measuredLabel, double measured) {
        return new Comparison(metric, unit, baselineLabel, baseline, measuredLabel, measured, measured / baseline, null, null);
    }

    /** Goal on the added amount: measured - baseline at most {@code maxAdded}. */
    public Comparison withAddedAtMost(double maxAdded) {
        return new Comparison(metric, unit, baselineLabel, baseline, measuredLabel, measured, ratio,
                "<= +" + Report.number(maxAdded) + " " + unit, measured - baseline <= maxAdded);
    }

    /** Goal on the ratio: measured / baseline at most {@code maxRatio}. */
    public Comparison withRatioAtMost(double maxRatio) {
        return new Comparison(metric, unit, baselineLabel, baseline, measuredLabel, measured, ratio,
                "<= " + Report.number(maxRatio) + "x", ratio <= maxRatio);
    }

    /** Goal on the ratio: measured / baseline at least {@code minRatio}, e.g. 1 for "all of them". */
    public Comparison withRatioAtLeast(double minRatio) {
        return new Comparison(metric, unit, baselineLabel, baseline, measuredLabel, measured, ratio,
                ">= " + Report.number(minRatio) + "x", ratio >= minRatio);
    }
}
