package dev.spectra.deliveryworker.delivery;

import static java.util.Objects.requireNonNull;

/** What writing a result document came to: the whole document, or the point where it outgrew the limit. */
public sealed interface ResultDocument {

    /**
     * @param json  {@code {"columns":[...],"rows":[[...]],"row_count":N}}
     * @param bytes the document's size in UTF-8
     */
    record Complete(String json, long rows, long bytes) implements ResultDocument {
        public Complete {
            requireNonNull(json, "json is null");
        }
    }

    /** Writing stopped (and no further page was read) once the document passed {@code limit} bytes. */
    record TooLarge(long bytesSoFar, long limit) implements ResultDocument {
        public String message() {
            return "result is %d+ bytes; inline delivery holds at most %d bytes; exports to S3 arrive in a later version"
                    .formatted(bytesSoFar, limit);
        }
    }
}
