package dev.spectra.common.result;

/** How exported chunk files are compressed. Inline chunks are never compressed (HTTP does that). */
public enum Compression {
    NONE(""),
    GZIP(".gz");

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    /** Appended to a chunk file's name. */
    public String suffix() {
        return suffix;
    }
}
