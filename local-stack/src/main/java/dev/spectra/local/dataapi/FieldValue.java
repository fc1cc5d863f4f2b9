package dev.spectra.local.dataapi;

import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/** One cell of a result, typed the way the Data API's {@code Field} union carries it. */
sealed interface FieldValue {

    /** Bytes the value counts towards a result's size. */
    long size();

    record Null() implements FieldValue {
        static final Null INSTANCE = new Null();

        @Override
        public long size() {
            return 0;
        }
    }

    record LongValue(long value) implements FieldValue {
        @Override
        public long size() {
            return Long.BYTES;
        }
    }

    record DoubleValue(double value) implements FieldValue {
        @Override
        public long size() {
            return Double.BYTES;
        }
    }

    record BooleanValue(boolean value) implements FieldValue {
        @Override
        public long size() {
            return 1;
        }
    }

    record StringValue(String value) implements FieldValue {
        public StringValue {
            requireNonNull(value, "value is null");
        }

        @Override
        public long size() {
            return value.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    record BlobValue(byte[] value) implements FieldValue {
        public BlobValue {
            requireNonNull(value, "value is null");
        }

        @Override
        public long size() {
            return value.length;
        }
    }
}
