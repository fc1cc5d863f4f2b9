package dev.spectra.local.dataapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads statement text the way PostgreSQL tokenises it (quoted strings, quoted identifiers, dollar quotes,
 * comments, {@code ::} casts) so that {@code :name} placeholders are found only where they are placeholders,
 * and values are bound, never spliced into the text. It decides nothing about safety: whether the text
 * holds one command is left to pgjdbc's own parse and the server's (see
 * {@link StatementRunner#commandsTheDriverSends}).
 */
final class SqlText {

    private SqlText() {}

    /**
     * Turns the Data API's {@code :name} placeholders into JDBC's positional ones. Without parameters the
     * text is sent as it is, as the real service does.
     *
     * @throws DataApiException a ValidationException for a placeholder without a value or a repeated name
     */
    static PreparedSql prepare(String sql, List<SqlParameter> parameters) {
        Map<String, String> valuesByName = new LinkedHashMap<>();
        for (SqlParameter parameter : parameters) {
            if (valuesByName.put(parameter.name(), parameter.value()) != null) {
                throw DataApiException.validation("Parameter names must be unique: '" + parameter.name() + "' is repeated.");
            }
        }
        return new Scanner(sql, parameters.isEmpty() ? null : valuesByName).scan();
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static boolean isPlaceholderPart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static final class Scanner {
        private final String sql;
        private final Map<String, String> valuesByName;
        private final StringBuilder out;
        private final List<String> values = new ArrayList<>();
        private int position;

        Scanner(String sql, Map<String, String> valuesByName) {
            this.sql = sql;
            this.valuesByName = valuesByName;
            this.out = new StringBuilder(sql.length() + 16);
        }

        PreparedSql scan() {
            while (position < sql.length()) {
                char c = sql.charAt(position);
                char next = position + 1 < sql.length() ? sql.charAt(position + 1) : '\0';
                if (c == '\'') {
                    quoted('\'', isEscapeString());
                } else if (c == '"') {
                    quoted('"', false);
                } else if (c == '-' && next == '-') {
                    lineComment();
                } else if (c == '/' && next == '*') {
                    blockComment();
                } else if (c == '$' && dollarQuote()) {
                    // copied by dollarQuote
                } else if (c == ':' && next == ':') {
                    out.append("::");
                    position += 2;
                } else if (c == ':' && valuesByName != null && isPlaceholderPart(next)) {
                    placeholder();
                } else if (c == '?' && valuesByName != null) {
                    // pgjdbc reads a bare ? as a placeholder; ?? sends a literal ? (jsonb operators)
                    out.append("??");
                    position++;
                } else {
                    out.append(c);
                    position++;
                }
            }
            return new PreparedSql(valuesByName == null ? sql : out.toString(), values, valuesByName != null);
        }

        private boolean isEscapeString() {
            if (position == 0) {
                return false;
            }
            char previous = sql.charAt(position - 1);
            if (previous != 'E' && previous != 'e') {
                return false;
            }
            return position < 2 || !isIdentifierPart(sql.charAt(position - 2));
        }

        private void quoted(char quote, boolean backslashEscapes) {
            int start = position++;
            while (position < sql.length()) {
                char c = sql.charAt(position);
                if (backslashEscapes && c == '\\') {
                    position += 2;
                } else if (c == quote) {
                    if (position + 1 < sql.length() && sql.charAt(position + 1) == quote) {
                        position += 2;
                    } else {
                        position++;
                        break;
                    }
                } else {
                    position++;
                }
            }
            position = Math.min(position, sql.length());
            out.append(sql, start, position);
        }

        /** PostgreSQL ends a {@code --} comment at a newline or a carriage return. */
        private void lineComment() {
            int start = position;
            while (position < sql.length() && sql.charAt(position) != '\n' && sql.charAt(position) != '\r') {
                position++;
            }
            out.append(sql, start, position);
        }

        private void blockComment() {
            int start = position;
            int depth = 0;
            while (position < sql.length()) {
                if (sql.startsWith("/*", position)) {
                    depth++;
                    position += 2;
                } else if (sql.startsWith("*/", position)) {
                    depth--;
                    position += 2;
                    if (depth == 0) {
                        break;
                    }
                } else {
                    position++;
                }
            }
            position = Math.min(position, sql.length());
            out.append(sql, start, position);
        }

        /** Copies a {@code $tag$...$tag$} string and returns true, or returns false when this {@code $} starts none. */
        private boolean dollarQuote() {
            if (position > 0 && isIdentifierPart(sql.charAt(position - 1))) {
                return false;
            }
            int tagEnd = position + 1;
            while (tagEnd < sql.length() && sql.charAt(tagEnd) != '$') {
                char c = sql.charAt(tagEnd);
                boolean valid = Character.isLetter(c) || c == '_' || (tagEnd > position + 1 && Character.isDigit(c));
                if (!valid) {
                    return false;
                }
                tagEnd++;
            }
            if (tagEnd >= sql.length()) {
                return false;
            }
            String tag = sql.substring(position, tagEnd + 1);
            int close = sql.indexOf(tag, tagEnd + 1);
            int end = close < 0 ? sql.length() : close + tag.length();
            out.append(sql, position, end);
            position = end;
            return true;
        }

        private void placeholder() {
            int start = position + 1;
            int end = start;
            while (end < sql.length() && isPlaceholderPart(sql.charAt(end))) {
                end++;
            }
            String name = sql.substring(start, end);
            String value = valuesByName.get(name);
            if (value == null) {
                throw DataApiException.validation(
                        "The SQL statement uses parameter ':" + name + "', which has no value in Parameters.");
            }
            values.add(value);
            out.append('?');
            position = end;
        }
    }
}
