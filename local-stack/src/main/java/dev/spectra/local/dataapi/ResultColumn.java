package dev.spectra.local.dataapi;

import static java.util.Objects.requireNonNull;

/** A result column's metadata, member for member the Data API's {@code ColumnMetadata}. */
record ResultColumn(
        String name,
        String label,
        String typeName,
        int nullable,
        int precision,
        int scale,
        boolean isSigned,
        boolean isCaseSensitive,
        boolean isCurrency,
        int length,
        String schemaName,
        String tableName,
        String columnDefault) {

    ResultColumn {
        requireNonNull(name, "name is null");
        requireNonNull(label, "label is null");
        requireNonNull(typeName, "typeName is null");
        requireNonNull(schemaName, "schemaName is null");
        requireNonNull(tableName, "tableName is null");
    }
}
