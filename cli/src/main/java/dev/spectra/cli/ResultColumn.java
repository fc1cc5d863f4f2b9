package dev.spectra.cli;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** A column of the result, as the manifest lists it: its name and the warehouse's type name. */
record ResultColumn(String name, String type) {

    ResultColumn {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    static List<ResultColumn> listOf(JsonNode manifest) {
        List<ResultColumn> columns = new ArrayList<>();
        for (JsonNode column : manifest.path("columns")) {
            columns.add(new ResultColumn(column.path("name").asString(""), column.path("type").asString("")));
        }
        return List.copyOf(columns);
    }
}
