package dev.spectra.cli;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Feeds rows written as JSON to a sink and answers what it wrote. */
final class RowsFixture {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private RowsFixture() {}

    static List<ResultColumn> columns(String... names) {
        return Arrays.stream(names).map(name -> new ResultColumn(name, "varchar")).toList();
    }

    static String render(Function<StringWriter, RowSink> sinkFor, List<ResultColumn> columns, String... rows) {
        StringWriter out = new StringWriter();
        RowSink sink = sinkFor.apply(out);
        try {
            sink.start(columns);
            for (String row : rows) {
                JsonNode node = JSON.readTree(row);
                sink.row(node);
            }
            sink.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
