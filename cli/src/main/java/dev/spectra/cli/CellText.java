package dev.spectra.cli;

import tools.jackson.databind.JsonNode;

/**
 * A value of a row as text. Strings (decimals and timestamps arrive as strings too) are themselves; numbers and
 * booleans their JSON spelling; SUPER values (objects, arrays) their compact JSON; NULL is {@code null}.
 */
final class CellText {

    private CellText() {}

    static String of(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return value.isString() ? value.stringValue() : value.toString();
    }

    /**
     * For tab-separated output: backslash, tab, newline and carriage return written as {@code \\ \t \n \r}, so that
     * every record is one line and every field one column, and the text can be read back unambiguously.
     */
    static String escapedForTsv(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (replacement != null && escaped == null) {
                escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (escaped != null) {
                if (replacement != null) {
                    escaped.append(replacement);
                } else {
                    escaped.append(c);
                }
            }
        }
        return escaped == null ? text : escaped.toString();
    }
}
