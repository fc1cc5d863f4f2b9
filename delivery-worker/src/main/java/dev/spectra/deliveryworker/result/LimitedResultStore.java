package dev.spectra.deliveryworker.result;

import java.io.OutputStream;
import java.util.concurrent.Semaphore;

import static java.util.Objects.requireNonNull;

/**
 * At most {@code permits} uploads at once, whatever the number of deliveries: each buffers up to four parts, so this
 * is what bounds the heap the uploads take. A permit is taken per chunk file and given back when it is stored or
 * aborted, so a long export never holds one for longer than a chunk's upload.
 */
public final class LimitedResultStore implements ResultStore {

    private final ResultStore store;
    private final Semaphore uploads;

    public LimitedResultStore(ResultStore store, int permits) {
        this.store = requireNonNull(store, "store is null");
        this.uploads = new Semaphore(permits, true);
    }

    @Override
    public String bucket() {
        return store.bucket();
    }

    @Override
    public Upload upload(String key, String contentType) {
        uploads.acquireUninterruptibly();
        try {
            return new Released(store.upload(key, contentType));
        } catch (RuntimeException e) {
            uploads.release();
            throw e;
        }
    }

    @Override
    public void put(String key, byte[] content, String contentType) {
        store.put(key, content, contentType);
    }

    @Override
    public byte[] read(String key, int maxBytes) {
        return store.read(key, maxBytes);
    }

    private final class Released implements Upload {
        private final Upload upload;
        private boolean released;

        Released(Upload upload) {
            this.upload = upload;
        }

        @Override
        public OutputStream stream() {
            return upload.stream();
        }

        @Override
        public long complete() {
            try {
                return upload.complete();
            } finally {
                release();
            }
        }

        @Override
        public void abort() {
            try {
                upload.abort();
            } finally {
                release();
            }
        }

        private void release() {
            if (!released) {
                released = true;
                uploads.release();
            }
        }
    }
}
