package dev.spectra.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CsvHeaderTest {

    private static InputStream csv(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String rest(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void skipsTheFirstLine() throws IOException {
        InputStream in = csv("region,n\nEU,1\n");

        assertThat(CsvHeader.skip(in)).isEqualTo("region,n\n".length());
        assertThat(rest(in)).isEqualTo("EU,1\n");
    }

    @Test
    void aQuotedColumnNameWithALineBreakIsStillOneRecord() throws IOException {
        InputStream in = csv("\"two\nlines\",\"say \"\"hi\"\"\"\nEU,1\n");

        CsvHeader.skip(in);

        assertThat(rest(in)).isEqualTo("EU,1\n");
    }

    @Test
    void aFileOfOnlyAHeaderLeavesNothing() throws IOException {
        InputStream in = csv("region,n");

        CsvHeader.skip(in);

        assertThat(rest(in)).isEmpty();
    }

    @Test
    void concatenatedChunksKeepOnlyTheFirstHeader() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExportFiles.Concatenation concatenation = new ExportFiles.Concatenation(out);

        concatenation.append(csv("region,n\nAPAC,1\n"));
        InputStream second = csv("region,n\nEU,2\n");
        CsvHeader.skip(second);
        concatenation.append(second);
        InputStream third = csv("region,n\n"); // a chunk without rows adds nothing
        CsvHeader.skip(third);
        concatenation.append(third);
        InputStream fourth = csv("region,n\nNA,3");
        CsvHeader.skip(fourth);
        concatenation.append(fourth);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("region,n\nAPAC,1\nEU,2\nNA,3");
    }
}
