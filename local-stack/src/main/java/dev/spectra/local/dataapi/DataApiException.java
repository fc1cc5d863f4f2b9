package dev.spectra.local.dataapi;

import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A modeled Data API error: its wire name, HTTP status, message and any extra members (such as
 * {@code ResourceId}). The HTTP layer turns it into the awsJson1_1 error body the SDK parses.
 */
final class DataApiException extends RuntimeException {

    enum Type {
        VALIDATION("ValidationException", 400),
        RESOURCE_NOT_FOUND("ResourceNotFoundException", 400),
        ACTIVE_SESSIONS_EXCEEDED("ActiveSessionsExceededException", 400),
        ACTIVE_STATEMENTS_EXCEEDED("ActiveStatementsExceededException", 400),
        SERIALIZATION("SerializationException", 400),
        UNKNOWN_OPERATION("UnknownOperationException", 400),
        /** Not in the Data API's model: the common AWS error every service answers past its request rate. */
        THROTTLING("ThrottlingException", 400),
        INTERNAL_SERVER("InternalServerException", 500);

        private final String wireName;
        private final int httpStatus;

        Type(String wireName, int httpStatus) {
            this.wireName = wireName;
            this.httpStatus = httpStatus;
        }

        String wireName() {
            return wireName;
        }

        int httpStatus() {
            return httpStatus;
        }
    }

    private final Type type;
    private final Map<String, String> members;

    private DataApiException(Type type, String message, Map<String, String> members) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.type = requireNonNull(type, "type is null");
        this.members = Map.copyOf(members);
    }

    static DataApiException validation(String message) {
        return new DataApiException(Type.VALIDATION, message, Map.of());
    }

    static DataApiException resourceNotFound(String message, String resourceId) {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("ResourceId", resourceId);
        return new DataApiException(Type.RESOURCE_NOT_FOUND, message, members);
    }

    static DataApiException activeSessionsExceeded(String message) {
        return new DataApiException(Type.ACTIVE_SESSIONS_EXCEEDED, message, Map.of());
    }

    static DataApiException activeStatementsExceeded(String message) {
        return new DataApiException(Type.ACTIVE_STATEMENTS_EXCEEDED, message, Map.of());
    }

    static DataApiException serialization(String message) {
        return new DataApiException(Type.SERIALIZATION, message, Map.of());
    }

    static DataApiException unknownOperation(String message) {
        return new DataApiException(Type.UNKNOWN_OPERATION, message, Map.of());
    }

    static DataApiException throttling(String message) {
        return new DataApiException(Type.THROTTLING, message, Map.of());
    }

    static DataApiException internal(String message) {
        return new DataApiException(Type.INTERNAL_SERVER, message, Map.of());
    }

    Type type() {
        return type;
    }

    Map<String, String> members() {
        return members;
    }
}
