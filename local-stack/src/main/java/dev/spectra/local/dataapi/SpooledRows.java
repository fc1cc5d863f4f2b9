package dev.spectra.local.dataapi;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.slf4j.LoggerFactory;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A statement's result rows in a file of their own, compactly encoded, cut into GetStatementResult pages as
 * they are written: a page ends when it holds its most rows or the next row would take it past its most
 * bytes, whichever comes first, and never splits a row (a row larger than a page is a page alone). The heap
 * holds a row number and a file offset per page, not the rows, so the results of many statements cannot
 * exhaust the emulator's memory, however many are kept. A page is read back by seeking to its offset. The
 * file is deleted when the statement is forgotten or the emulator stops.
 */
final class SpooledRows {

    private static final byte NULL = 0;
    private static final byte LONG = 1;
    private static final byte DOUBLE = 2;
    private static final byte BOOLEAN = 3;
    private static final byte STRING = 4;
    private static final byte BLOB = 5;

    private final Path file;
    private final int columnCount;
    /** Row number of each page's first row, and one past the last row at the end. */
    private final int[] pageFirstRows;
    private final long[] pageOffsets;
    private final int rowCount;
    private final long fileBytes;

    private SpooledRows(Path file, int columnCount, int[] pageFirstRows, long[] pageOffsets, int rowCount, long fileBytes) {
        this.file = file;
        this.columnCount = columnCount;
        this.pageFirstRows = pageFirstRows;
        this.pageOffsets = pageOffsets;
        this.rowCount = rowCount;
        this.fileBytes = fileBytes;
    }

    int rowCount() {
        return rowCount;
    }

    /** What the rows take on disk. */
    long fileBytes() {
        return fileBytes;
    }

    /** Pages of the result; an empty result is one empty page. */
    int pageCount() {
        return Math.max(1, pageOffsets.length);
    }

    /**
     * The rows of page {@code page} (0-based).
     *
     * @throws NoSuchFileException when the rows were deleted meanwhile (the statement was forgotten)
     */
    List<List<FieldValue>> page(int page) throws IOException {
        if (page < 0 || page >= pageCount()) {
            throw new IndexOutOfBoundsException("page " + page + " of " + pageCount());
        }
        if (pageOffsets.length == 0) {
            return List.of();
        }
        int from = pageFirstRows[page];
        int to = pageFirstRows[page + 1];
        List<List<FieldValue>> rows = new ArrayList<>(to - from);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.position(pageOffsets[page]);
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024));
            for (int row = from; row < to; row++) {
                FieldValue[] values = new FieldValue[columnCount];
                for (int column = 0; column < columnCount; column++) {
                    values[column] = readValue(in);
                }
                rows.add(List.of(values));
            }
        }
        return rows;
    }

    /** Deletes the file; a reader that has it open still finishes its page. */
    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LoggerFactory.getLogger(SpooledRows.class).warn("Could not delete result file {}: {}", file, e.toString());
        }
    }

    private static FieldValue readValue(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case NULL -> FieldValue.Null.INSTANCE;
            case LONG -> new FieldValue.LongValue(in.readLong());
            case DOUBLE -> new FieldValue.DoubleValue(in.readDouble());
            case BOOLEAN -> new FieldValue.BooleanValue(in.readBoolean());
            case STRING -> new FieldValue.StringValue(new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8));
            case BLOB -> new FieldValue.BlobValue(in.readNBytes(in.readInt()));
            default -> throw new IOException("corrupt result file: value tag " + tag);
        };
    }

    /** Appends rows to a new file; {@link #finish()} makes them readable, {@link #abandon()} deletes them. */
    static final class Writer implements AutoCloseable {

        private final Path file;
        private final int columnCount;
        private final int maxPageRows;
        private final long maxPageBytes;
        private final CountingOutputStream counter;
        private final DataOutputStream out;
        private int[] pageFirstRows = new int[16];
        private long[] pageOffsets = new long[16];
        private int pages;
        private int pageRows;
        private long pageBytes;
        private int rowCount;
        private boolean finished;

        /**
         * @param maxPageRows  a page's most rows
         * @param maxPageBytes a page's most bytes, as the caller counts a row's (see {@link #append})
         */
        Writer(Path directory, int columnCount, int maxPageRows, long maxPageBytes) throws IOException {
            requireNonNull(directory, "directory is null");
            if (maxPageRows < 1 || maxPageBytes < 1) {
                throw new IllegalArgumentException("a page must hold at least one row and one byte");
            }
            this.maxPageRows = maxPageRows;
            this.maxPageBytes = maxPageBytes;
            // tenant data: readable by the emulator's user only
            this.file = Files.createTempFile(directory, "result-", ".rows",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            this.columnCount = columnCount;
            // counted above the buffer, so the count includes what is still buffered
            this.counter = new CountingOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), 64 * 1024));
            this.out = new DataOutputStream(counter);
        }

        /** Bytes the rows take so far. */
        long bytes() {
            return counter.count;
        }

        /** Bytes already on the first page before any row, such as a CSV header; call before the first row. */
        void reserveOnFirstPage(long bytes) {
            pageBytes += bytes;
        }

        /** @param rowPageBytes what the row counts towards its page's byte bound */
        void append(FieldValue[] row, long rowPageBytes) throws IOException {
            boolean full = pageRows == maxPageRows || (pageRows > 0 && pageBytes + rowPageBytes > maxPageBytes);
            if (pages == 0 || full) {
                if (pages == pageOffsets.length) {
                    pageOffsets = Arrays.copyOf(pageOffsets, pages * 2);
                    pageFirstRows = Arrays.copyOf(pageFirstRows, pages * 2 + 1);
                }
                pageOffsets[pages] = bytes();
                pageFirstRows[pages] = rowCount;
                pages++;
                if (full) {
                    pageRows = 0;
                    pageBytes = 0;
                }
            }
            for (FieldValue value : row) {
                writeValue(value);
            }
            rowCount++;
            pageRows++;
            pageBytes += rowPageBytes;
        }

        SpooledRows finish() throws IOException {
            out.flush();
            out.close();
            finished = true;
            int[] firstRows = Arrays.copyOf(pageFirstRows, pages + 1);
            firstRows[pages] = rowCount;
            return new SpooledRows(file, columnCount, firstRows, Arrays.copyOf(pageOffsets, pages), rowCount, counter.count);
        }

        void abandon() {
            try {
                out.close();
            } catch (IOException ignored) {
                // the file goes either way
            }
            finished = true;
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Deletes the file unless {@link #finish()} handed it on. */
        @Override
        public void close() {
            if (!finished) {
                abandon();
            }
        }

        private void writeValue(FieldValue value) throws IOException {
            switch (value) {
                case FieldValue.Null ignored -> out.writeByte(NULL);
                case FieldValue.LongValue number -> {
                    out.writeByte(LONG);
                    out.writeLong(number.value());
                }
                case FieldValue.DoubleValue number -> {
                    out.writeByte(DOUBLE);
                    out.writeDouble(number.value());
                }
                case FieldValue.BooleanValue flag -> {
                    out.writeByte(BOOLEAN);
                    out.writeBoolean(flag.value());
                }
                case FieldValue.StringValue text -> {
                    byte[] bytes = text.value().getBytes(StandardCharsets.UTF_8);
                    out.writeByte(STRING);
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
                case FieldValue.BlobValue blob -> {
                    out.writeByte(BLOB);
                    out.writeInt(blob.value().length);
                    out.write(blob.value());
                }
            }
        }
    }

    /** Counts bytes as a long: DataOutputStream's own count stops at 2 GB. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }
}
