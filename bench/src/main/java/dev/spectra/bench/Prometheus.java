package dev.spectra.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/** Reads one gauge from a service's {@code /actuator/prometheus} (summed over its tags). */
final class Prometheus {

    private final HttpClient http;
    private final URI scrape;

    Prometheus(HttpClient http, URI actuator) {
        this.http = http;
        this.scrape = URI.create(actuator + "/prometheus");
    }

    /** The first of {@code names} the service exports, with its value. */
    record Reading(String name, double value) {
    }

    java.util.Optional<Reading> first(List<String> names) {
        String text = scrapeText();
        for (String name : names) {
            OptionalDouble value = parse(text, name);
            if (value.isPresent()) {
                return java.util.Optional.of(new Reading(name, value.getAsDouble()));
            }
        }
        return java.util.Optional.empty();
    }

    /** {@code name}'s samples summed per value of {@code tag}, e.g. a timer's {@code _sum} per {@code step}. */
    java.util.Map<String, Double> byTag(String name, String tag) {
        return byTag(scrapeText(), name, tag);
    }

    static java.util.Map<String, Double> byTag(String exposition, String name, String tag) {
        java.util.Map<String, Double> sums = new java.util.TreeMap<>();
        java.util.regex.Pattern label = java.util.regex.Pattern.compile("[{,]" + tag + "=\"([^\"]*)\"");
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + "{")) {
                java.util.regex.Matcher value = label.matcher(line.substring(0, line.lastIndexOf('}') + 1));
                if (value.find()) {
                    sums.merge(value.group(1), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).strip()), Double::sum);
                }
            }
        }
        return sums;
    }

    /** The whole exposition, for several readings taken at one instant ({@link #sum(String, String, java.util.Map)}). */
    String text() {
        return scrapeText();
    }

    /** {@code name}'s samples whose labels include every one of {@code labels}, summed; 0 when there is none. */
    static double sum(String exposition, String name, java.util.Map<String, String> labels) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + "{")) {
                String tags = line.substring(name.length(), line.lastIndexOf('}') + 1);
                if (labels.entrySet().stream().allMatch(label -> tags.contains("{" + label.getKey() + "=\"" + label.getValue() + "\"")
                        || tags.contains("," + label.getKey() + "=\"" + label.getValue() + "\""))) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).strip());
                }
            } else if (line.startsWith(name + " ") && labels.isEmpty()) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).strip());
            }
        }
        return sum;
    }

    static OptionalDouble parse(String exposition, String name) {
        double sum = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).strip());
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    private String scrapeText() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(scrape).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(scrape + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(scrape + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
