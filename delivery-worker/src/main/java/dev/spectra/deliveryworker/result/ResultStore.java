package dev.spectra.deliveryworker.result;

import java.io.OutputStream;

/**
 * The results bucket, as the delivery worker uses it: chunk files streamed in, small objects (manifests) put and
 * read. Keys are relative to the bucket; every key a delivery writes lies under its job's
 * {@code tenant=<id>/job=<id>/} folder.
 */
public interface ResultStore {

    /** The bucket's name, for {@code s3://} locations. */
    String bucket();

    /**
     * Starts writing an object of unknown length. The caller writes to {@link Upload#stream()}, then
     * {@link Upload#complete() completes} it, or {@link Upload#abort() aborts} it on any failure.
     */
    Upload upload(String key, String contentType);

    /** Puts a small object whole. */
    void put(String key, byte[] content, String contentType);

    /**
     * Reads a small object whole, at most {@code maxBytes}.
     *
     * @throws ObjectTooLargeException when the object is larger
     * @throws java.util.NoSuchElementException when there is no such object
     */
    byte[] read(String key, int maxBytes);

    /** One object being written. */
    interface Upload {
        OutputStream stream();

        /** Waits for the object to be stored; returns its size. Throws what the store answered if it was not. */
        long complete();

        /** Gives the object up: nothing of it is kept. Never throws. */
        void abort();
    }

    final class ObjectTooLargeException extends RuntimeException {
        public ObjectTooLargeException(String key, int maxBytes) {
            super("object " + key + " is larger than " + maxBytes + " bytes");
        }
    }
}
