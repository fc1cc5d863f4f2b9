package dev.spectra.gateway.sql;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The SQL guard ({@code spectra.gateway.sql.*}).
 *
 * @param standardConformingStrings whether {@code '...'} strings treat a backslash literally, as the
 *                                  warehouse does: true for PostgreSQL (the local stack), false for
 *                                  Redshift. The guard must lex exactly as the warehouse will. Default true.
 * @param maxNestingDepth           deepest nesting of parentheses and brackets accepted, default 64: deeper
 *                                  texts are refused before the parser, whose time grows steeply with depth
 * @param parserThreads             threads that parse SQL; 0 (the default) means twice the cores, at least 4,
 *                                  so that one tenant's slow parses never hold every thread
 * @param parsesPerTenant           one tenant's SQL texts parsed at once, default 1
 * @param queuedParsesPerTenant     one tenant's texts waiting for a parse before it is told to slow down
 *                                  (429), default 32
 */
@Validated
@ConfigurationProperties("spectra.gateway.sql")
public record SqlGuardProperties(
        @DefaultValue("true") boolean standardConformingStrings,
        @Min(1) @Max(1000) @DefaultValue("64") int maxNestingDepth,
        @Min(0) @Max(256) @DefaultValue("0") int parserThreads,
        @Min(1) @Max(64) @DefaultValue("1") int parsesPerTenant,
        @Min(0) @Max(10_000) @DefaultValue("32") int queuedParsesPerTenant) {

    /** The pool size to use on a machine with {@code cores} processors. */
    public int parserThreads(int cores) {
        return parserThreads > 0 ? parserThreads : Math.max(4, 2 * cores);
    }
}
