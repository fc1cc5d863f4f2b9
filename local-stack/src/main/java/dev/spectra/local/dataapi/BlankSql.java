package dev.spectra.local.dataapi;

/**
 * Whether a piece of SQL text holds no command at all: only whitespace and comments, read by PostgreSQL's
 * rules ({@code --} ends at a newline or carriage return; {@code /* *}{@code /} comments nest). pgjdbc
 * sends what follows a trailing {@code ;} as a query of its own, and the server answers such a piece
 * with an empty response, so {@code SELECT 1; -- done} is still one command.
 *
 * <p>The reading is strict in the safe direction: anything it does not recognise (any other character, an
 * unterminated comment, a vertical tab) counts as a command, so an error here refuses a statement and
 * never lets a second command through.
 */
final class BlankSql {

    private BlankSql() {}

    static boolean isBlank(String sql) {
        int position = 0;
        while (position < sql.length()) {
            char c = sql.charAt(position);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                position++;
            } else if (sql.startsWith("--", position)) {
                position += 2;
                while (position < sql.length() && sql.charAt(position) != '\n' && sql.charAt(position) != '\r') {
                    position++;
                }
            } else if (sql.startsWith("/*", position)) {
                position = afterBlockComment(sql, position);
                if (position < 0) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    /** The position after the comment starting at {@code start}, or -1 when it never ends. */
    private static int afterBlockComment(String sql, int start) {
        int depth = 0;
        int position = start;
        while (position < sql.length()) {
            if (sql.startsWith("/*", position)) {
                depth++;
                position += 2;
            } else if (sql.startsWith("*/", position)) {
                depth--;
                position += 2;
                if (depth == 0) {
                    return position;
                }
            } else {
                position++;
            }
        }
        return -1;
    }
}
