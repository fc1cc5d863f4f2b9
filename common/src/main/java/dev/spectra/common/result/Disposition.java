package dev.spectra.common.result;

/**
 * How a client receives a result. {@link #AUTO} is what a client asks for; a delivered result is always
 * {@link #INLINE} or {@link #EXTERNAL_LINKS}.
 */
public enum Disposition {
    /** Rows in the API's answers, served by the gateway chunk by chunk. Only {@link ResultFormat#JSON_ARRAY}. */
    INLINE,
    /** Presigned S3 links, one per chunk file. */
    EXTERNAL_LINKS,
    /**
     * Inline while the encoded result stays within the delivery worker's inline limit, links beyond it; decided
     * from the result itself as it is written, never by running the query twice. A format other than JSON_ARRAY
     * always goes out as links.
     */
    AUTO
}
