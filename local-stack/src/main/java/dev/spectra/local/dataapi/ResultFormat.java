package dev.spectra.local.dataapi;

/**
 * ExecuteStatement's {@code ResultFormat}: how the statement's result is fetched afterwards. A JSON result
 * (the default) is read with GetStatementResult, as typed fields; a CSV result with GetStatementResultV2, as
 * CSV text. The real service refuses the other operation, so the emulator does too.
 */
enum ResultFormat {
    JSON,
    CSV;

    /** The member as sent; absent means JSON. */
    static ResultFormat fromWire(String member) {
        if (member == null) {
            return JSON;
        }
        for (ResultFormat format : values()) {
            if (format.name().equals(member)) {
                return format;
            }
        }
        // the wording of the service's model validation for an enum member
        throw DataApiException.validation("1 validation error detected: Value '" + member
                + "' at 'resultFormat' failed to satisfy constraint: Member must satisfy enum value set: [JSON, CSV]");
    }
}
