package dev.spectra.local.dataapi;

import java.util.Arrays;
import java.util.Optional;

/** The Data API operations the emulator answers, by their {@code X-Amz-Target} names. */
public enum DataApiOperation {
    EXECUTE_STATEMENT("ExecuteStatement"),
    DESCRIBE_STATEMENT("DescribeStatement"),
    GET_STATEMENT_RESULT("GetStatementResult"),
    GET_STATEMENT_RESULT_V2("GetStatementResultV2"),
    CANCEL_STATEMENT("CancelStatement"),
    LIST_STATEMENTS("ListStatements");

    private final String wireName;

    DataApiOperation(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<DataApiOperation> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(operation -> operation.wireName.equals(wireName)).findFirst();
    }
}
