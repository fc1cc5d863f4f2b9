package dev.spectra.deliveryworker.result;

import dev.spectra.common.result.ResultSummary;

import static java.util.Objects.requireNonNull;

/** What writing a result came to. */
public sealed interface WrittenResult {

    ResultSummary summary();

    /** Small enough to live on the job item: {@code document} is {@code {"columns":[...],"rows":[...],"row_count":N}}. */
    record OnItem(String document, ResultSummary summary) implements WrittenResult {
        public OnItem {
            requireNonNull(document, "document is null");
            requireNonNull(summary, "summary is null");
        }
    }

    /** Chunks and manifest are in the results bucket, at {@code summary.manifest()}. */
    record Stored(ResultSummary summary) implements WrittenResult {
        public Stored {
            requireNonNull(summary, "summary is null");
        }
    }

    /** Not delivered: the result passed a limit it may not pass. {@code message} is for the tenant. */
    record TooLarge(String message) implements WrittenResult {
        public TooLarge {
            requireNonNull(message, "message is null");
        }

        @Override
        public ResultSummary summary() {
            throw new IllegalStateException("a result too large has no summary");
        }
    }
}
