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
 * A statement's result rows in a file of their own, compactly encoded, with the file offset of every
 * page's first row: the heap holds a few longs per page, not the rows, so the results of many statements
 * cannot exhaust the emulator's memory, however many are kept. A page is read back by seeking to its
 * offset. The file is deleted when the statement is forgotten or the emulator stops.
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
    private final int rowsPerIndexEntry;
    private final long[] offsets;
    private final int rowCount;
    private final long fileBytes;

    private SpooledRows(Path file, int columnCount, int rowsPerIndexEntry, long[] offsets, int rowCount, long fileBytes) {
        this.file = file;
        this.columnCount = columnCount;
        this.rowsPerIndexEntry = rowsPerIndexEntry;
        this.offsets = offsets;
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

    /**
     * Rows {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @throws NoSuchFileException when the rows were deleted meanwhile (the statement was forgotten)
     */
    List<List<FieldValue>> read(int from, int to) throws IOException {
        if (from < 0 || to > rowCount || from > to) {
            throw new IndexOutOfBoundsException("rows " + from + ".." + to + " of " + rowCount);
        }
        List<List<FieldValue>> rows = new ArrayList<>(to - from);
        if (from == to) {
            return rows;
        }
        int entry = from / rowsPerIndexEntry;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.position(offsets[entry]);
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024));
            for (int row = entry * rowsPerIndexEntry; row < to; row++) {
                FieldValue[] values = new FieldValue[columnCount];
                for (int column = 0; column < columnCount; column++) {
                    values[column] = readValue(in);
                }
                if (row >= from) {
                    rows.add(List.of(values));
                }
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
        private final int rowsPerIndexEntry;
        private final CountingOutputStream counter;
        private final DataOutputStream out;
        private long[] offsets = new long[16];
        private int rowCount;
        private boolean finished;

        /** @param rowsPerIndexEntry rows between two remembered offsets: the page size, so a page is one seek */
        Writer(Path directory, int columnCount, int rowsPerIndexEntry) throws IOException {
            requireNonNull(directory, "directory is null");
            if (rowsPerIndexEntry < 1) {
                throw new IllegalArgumentException("rowsPerIndexEntry must be positive");
            }
            // tenant data: readable by the emulator's user only
            this.file = Files.createTempFile(directory, "result-", ".rows",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            this.columnCount = columnCount;
            this.rowsPerIndexEntry = rowsPerIndexEntry;
            // counted above the buffer, so the count includes what is still buffered
            this.counter = new CountingOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), 64 * 1024));
            this.out = new DataOutputStream(counter);
        }

        /** Bytes the rows take so far. */
        long bytes() {
            return counter.count;
        }

        void append(FieldValue[] row) throws IOException {
            if (rowCount % rowsPerIndexEntry == 0) {
                int entry = rowCount / rowsPerIndexEntry;
                if (entry == offsets.length) {
                    offsets = Arrays.copyOf(offsets, offsets.length * 2);
                }
                offsets[entry] = bytes();
            }
            for (FieldValue value : row) {
                writeValue(value);
            }
            rowCount++;
        }

        SpooledRows finish() throws IOException {
            out.flush();
            out.close();
            finished = true;
            int entries = (rowCount + rowsPerIndexEntry - 1) / rowsPerIndexEntry;
            return new SpooledRows(file, columnCount, rowsPerIndexEntry, Arrays.copyOf(offsets, entries), rowCount, counter.count);
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
