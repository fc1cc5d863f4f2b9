package dev.spectra.common.statement;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The type of a statement parameter, as the client declares it. A value travels to the Data API as text (the
 * Data API has no typed parameters), so the type does two things here: it checks and normalises the client's
 * value, and it names the SQL type the marker is cast to, so that the warehouse reads the value as the client
 * meant it whatever the context ({@code CAST(:p AS BIGINT)}).
 */
public enum ParameterType {
    STRING("VARCHAR(65535)"),
    INT("INTEGER"),
    BIGINT("BIGINT"),
    DECIMAL("DECIMAL(38,%d)"),
    DOUBLE("DOUBLE PRECISION"),
    BOOLEAN("BOOLEAN"),
    DATE("DATE"),
    TIMESTAMP("TIMESTAMP");

    /** Redshift's widest DECIMAL. */
    public static final int MAX_DECIMAL_PRECISION = 38;

    private static final DateTimeFormatter TIMESTAMP_TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

    private static final Pattern DECIMAL_NUMBER = Pattern.compile("[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?");

    private final String sqlType;

    ParameterType(String sqlType) {
        this.sqlType = sqlType;
    }

    /**
     * The value as it travels, in the one spelling the warehouse reads the same way on every setting
     * ({@code 2026-01-31 08:00:00.000000}, {@code true}, {@code 12.50}).
     *
     * @throws IllegalArgumentException naming what the type accepts, when {@code value} is not one
     */
    public String normalise(String value) {
        try {
            return switch (this) {
                case STRING -> value;
                case INT -> Integer.toString(Integer.parseInt(value.strip()));
                case BIGINT -> Long.toString(Long.parseLong(value.strip()));
                case DECIMAL -> decimal(value);
                case DOUBLE -> finiteDouble(value);
                case BOOLEAN -> bool(value);
                case DATE -> LocalDate.parse(value.strip()).toString();
                case TIMESTAMP -> LocalDateTime.parse(value.strip().replace(' ', 'T')).format(TIMESTAMP_TEXT);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(expectation());
        }
    }

    /** The SQL type a marker of this type is cast to; a DECIMAL keeps the value's own scale. */
    public String sqlTypeFor(String normalisedValue) {
        if (this != DECIMAL) {
            return sqlType;
        }
        int scale = normalisedValue == null ? 0 : Math.max(0, new BigDecimal(normalisedValue).scale());
        return sqlType.formatted(scale);
    }

    /** What a value of this type looks like, for a 400's detail. */
    public String expectation() {
        return switch (this) {
            case STRING -> "a string";
            case INT -> "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
            case BIGINT -> "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
            case DECIMAL -> "a decimal number of at most " + MAX_DECIMAL_PRECISION + " digits, such as 12.50";
            case DOUBLE -> "a finite number, such as 1.5e3";
            case BOOLEAN -> "true or false";
            case DATE -> "a date, yyyy-mm-dd";
            case TIMESTAMP -> "a timestamp without time zone, yyyy-mm-ddThh:mm:ss[.ffffff]";
        };
    }

    private static String decimal(String value) {
        if (!DECIMAL_NUMBER.matcher(value.strip()).matches()) {
            throw new NumberFormatException("not a decimal number");
        }
        BigDecimal decimal = new BigDecimal(value.strip());
        if (decimal.scale() < 0) {
            decimal = decimal.setScale(0);
        }
        // DECIMAL(38, scale) holds 38 - scale digits before the point.
        if (decimal.precision() > MAX_DECIMAL_PRECISION || decimal.scale() > MAX_DECIMAL_PRECISION - 1) {
            throw new NumberFormatException("out of range");
        }
        return decimal.toPlainString();
    }

    private static String finiteDouble(String value) {
        // Double.parseDouble also takes NaN, Infinity, hex and a trailing d or f: none of them is SQL.
        if (!DECIMAL_NUMBER.matcher(value.strip()).matches()) {
            throw new NumberFormatException("not a decimal number");
        }
        double number = Double.parseDouble(value.strip());
        if (!Double.isFinite(number)) {
            throw new NumberFormatException("out of range");
        }
        return Double.toString(number);
    }

    private static String bool(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> "true";
            case "false" -> "false";
            default -> throw new NumberFormatException("not a boolean");
        };
    }
}
