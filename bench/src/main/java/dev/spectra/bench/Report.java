package dev.spectra.bench;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run's result file (JSON, everything) and its Markdown table (the comparisons), for BENCHMARKS.md. */
record Report(String startedAt, String finishedAt, String mode, String commit, Map<String, Object> machine,
              Map<String, Object> stack, List<ScenarioResult> scenarios) {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT).propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writeValueAsString(this) + System.lineSeparator());
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("Run ").append(startedAt).append(", `").append(mode).append("`, commit `").append(commit).append("`, ")
                .append(machine.get("nproc")).append(" cores, ").append(machine.get("memory")).append(", JDK ")
                .append(machine.get("jdk")).append(", load average ").append(machine.get("load_average_start"))
                .append(" at start / ").append(machine.get("load_average_end")).append(" at end\n\n");
        out.append("| Scenario | Metric | Baseline | Measured | Ratio | Goal |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (ScenarioResult scenario : scenarios) {
            for (Comparison c : scenario.comparisons()) {
                out.append("| ").append(scenario.scenario())
                        .append(" | ").append(c.metric()).append(" (").append(c.unit()).append(")")
                        .append(" | ").append(number(c.baseline())).append(" ").append(c.baselineLabel())
                        .append(" | ").append(number(c.measured())).append(" ").append(c.measuredLabel())
                        .append(" | ").append(ratio(c.ratio()))
                        .append(" | ").append(goal(c))
                        .append(" |\n");
            }
        }
        return out.toString();
    }

    private static String goal(Comparison c) {
        if (c.goal() == null) {
            return "-";
        }
        String observed = c.goal().endsWith("x") ? number(c.ratio()) + "x"
                : (c.measured() >= c.baseline() ? "+" : "") + number(c.measured() - c.baseline()) + " " + c.unit();
        return c.goal() + ": " + observed + (c.goalMet() ? " met" : " **not met**");
    }

    private static String ratio(double value) {
        return Double.isFinite(value) ? number(value) + "x" : "n/a";
    }

    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }
}
