package dev.spectra.common.result;

import static java.util.Objects.requireNonNull;

/**
 * The one rule for putting a query inside {@code UNLOAD ('...')}: the query worker quotes with it, and the
 * local Data API emulator's UNLOAD undoes exactly it (tested as a round trip there).
 *
 * <p>Every {@code '} is doubled and every {@code \} is doubled, and the text is enclosed in single quotes.
 * Redshift reads the literal as PostgreSQL does with {@code standard_conforming_strings} off: {@code ''} is a
 * quote and a backslash escapes the next character. Doubling both makes the literal mean the same under
 * either reading: with backslashes as escapes, {@code \\} is one backslash and {@code ''} one quote; with
 * standard strings, backslashes are ordinary characters and {@code ''} is still one quote, so in neither
 * can a quote or a backslash in the query end the literal early. ({@code \'} in the query becomes
 * {@code \\''}: a backslash, then a quote, under both.) Dollar quotes, comment markers and semicolons need
 * nothing: inside a literal they are plain characters.
 */
public final class UnloadQueryLiteral {

    private UnloadQueryLiteral() {}

    /** {@code query} as a quoted literal for {@code UNLOAD (<literal>)}. */
    public static String quote(String query) {
        requireNonNull(query, "query is null");
        StringBuilder literal = new StringBuilder(query.length() + 16).append('\'');
        for (int index = 0; index < query.length(); index++) {
            char c = query.charAt(index);
            if (c == '\'' || c == '\\') {
                literal.append(c);
            }
            literal.append(c);
        }
        return literal.append('\'').toString();
    }
}
