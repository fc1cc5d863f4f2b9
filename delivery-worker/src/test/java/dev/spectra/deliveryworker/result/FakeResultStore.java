package dev.spectra.deliveryworker.result;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The results bucket in memory; an upload can be made to fail after some bytes, as a dropped connection would. */
public final class FakeResultStore implements ResultStore {

    private final Map<String, byte[]> objects = new TreeMap<>();
    private final Map<String, String> contentTypes = new TreeMap<>();
    private long failUploadsAfterBytes = -1;
    private Supplier<RuntimeException> uploadFailure;
    private int aborted;

    @Override
    public String bucket() {
        return "spectra-results";
    }

    public synchronized void failUploadsAfter(long bytes, Supplier<RuntimeException> failure) {
        this.failUploadsAfterBytes = bytes;
        this.uploadFailure = failure;
    }

    public synchronized Map<String, byte[]> objects() {
        return Map.copyOf(objects);
    }

    public synchronized byte[] object(String key) {
        byte[] content = objects.get(key);
        if (content == null) {
            throw new NoSuchElementException("no object " + key + " among " + objects.keySet());
        }
        return content;
    }

    public synchronized String contentType(String key) {
        return contentTypes.get(key);
    }

    public synchronized int aborted() {
        return aborted;
    }

    @Override
    public synchronized Upload upload(String key, String contentType) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        long failAfter = failUploadsAfterBytes;
        Supplier<RuntimeException> failure = uploadFailure;
        OutputStream stream = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (failAfter >= 0 && buffer.size() + length > failAfter) {
                    throw failure.get();
                }
                buffer.write(bytes, offset, length);
            }
        };
        return new Upload() {
            @Override
            public OutputStream stream() {
                return stream;
            }

            @Override
            public long complete() {
                synchronized (FakeResultStore.this) {
                    objects.put(key, buffer.toByteArray());
                    contentTypes.put(key, contentType);
                }
                return buffer.size();
            }

            @Override
            public void abort() {
                synchronized (FakeResultStore.this) {
                    aborted++;
                }
            }
        };
    }

    @Override
    public synchronized void put(String key, byte[] content, String contentType) {
        objects.put(key, content.clone());
        contentTypes.put(key, contentType);
    }

    @Override
    public synchronized byte[] read(String key, int maxBytes) {
        byte[] content = object(key);
        if (content.length > maxBytes) {
            throw new ObjectTooLargeException(key, maxBytes);
        }
        return content;
    }
}
