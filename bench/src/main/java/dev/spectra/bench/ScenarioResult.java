package dev.spectra.bench;

import java.util.List;
import java.util.Map;

/** What one scenario measured: its parameters (so a run can be repeated), the comparisons and raw summaries. */
public record ScenarioResult(String scenario, double seconds, Map<String, Object> parameters,
                             List<Comparison> comparisons, Map<String, Object> details) {
}
