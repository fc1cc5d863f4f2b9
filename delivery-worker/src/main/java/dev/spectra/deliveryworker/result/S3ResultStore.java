package dev.spectra.deliveryworker.result;

import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.BlockingOutputStreamAsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.utils.CancellableOutputStream;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * The results bucket on S3. Chunks are streamed through the SDK's multipart client (an {@link S3AsyncClient}
 * built with {@code multipartEnabled}): the bytes written are cut into parts and uploaded while the delivery
 * goes on writing, with at most the client's part buffer held in memory, whatever the object's size. An object
 * smaller than one part goes up as one PutObject.
 *
 * <p>What a delivery writes goes through a buffer of {@link #WRITE_BUFFER_BYTES} first: the SDK's blocking stream
 * hands every {@code write} to the client as a buffer of its own, which the multipart client keeps until its part is
 * full, so a row-sized write each (tens of bytes) would hold hundreds of thousands of small buffers per part and
 * exhaust a small heap.
 */
public final class S3ResultStore implements ResultStore {

    /** The size of what reaches the SDK's stream per write. */
    static final int WRITE_BUFFER_BYTES = 256 * 1024;

    private final S3AsyncClient s3;
    private final String bucket;

    public S3ResultStore(S3AsyncClient s3, String bucket) {
        this.s3 = requireNonNull(s3, "s3 is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public Upload upload(String key, String contentType) {
        BlockingOutputStreamAsyncRequestBody body = AsyncRequestBody.forBlockingOutputStream(null);
        CompletableFuture<PutObjectResponse> stored = s3.putObject(request -> request.bucket(bucket).key(key).contentType(contentType), body);
        // Waits until the client subscribed to the body (bounded by the body's subscribe timeout).
        CancellableOutputStream out = body.outputStream();
        return new S3Upload(out, stored);
    }

    @Override
    public void put(String key, byte[] content, String contentType) {
        join(s3.putObject(request -> request.bucket(bucket).key(key).contentType(contentType).contentLength((long) content.length),
                AsyncRequestBody.fromBytes(content)));
    }

    @Override
    public byte[] read(String key, int maxBytes) {
        try {
            HeadObjectResponse head = join(s3.headObject(request -> request.bucket(bucket).key(key)));
            if (head.contentLength() != null && head.contentLength() > maxBytes) {
                throw new ObjectTooLargeException(key, maxBytes);
            }
            return join(s3.getObject(request -> request.bucket(bucket).key(key).range("bytes=0-" + maxBytes),
                    AsyncResponseTransformer.toBytes())).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new NoSuchElementException("no object " + key);
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchElementException("no object " + key);
            }
            throw e;
        }
    }

    /** The answer of an async call, its failure thrown as what the service said (the classifier reads it). */
    private static <T> T join(CompletableFuture<T> call) {
        try {
            return call.get();
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted while waiting for S3", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new CompletionException(e.getCause());
        }
    }

    private static final class S3Upload implements Upload {
        private final CancellableOutputStream body;
        private final CountingStream counted;
        private final BufferedOutputStream buffered;
        private final CompletableFuture<PutObjectResponse> stored;

        S3Upload(CancellableOutputStream body, CompletableFuture<PutObjectResponse> stored) {
            this.body = body;
            this.counted = new CountingStream(body);
            this.buffered = new BufferedOutputStream(counted, WRITE_BUFFER_BYTES);
            this.stored = stored;
        }

        @Override
        public OutputStream stream() {
            return buffered;
        }

        @Override
        public long complete() {
            try {
                buffered.flush();
                body.close();
            } catch (IOException | RuntimeException e) {
                // The client failed the body already; what it answered is in the future below.
            }
            join(stored);
            return counted.count;
        }

        @Override
        public void abort() {
            try {
                body.cancel();
            } catch (RuntimeException ignored) {
                // Already failed or closed.
            }
            stored.cancel(true);
        }
    }

    private static final class CountingStream extends FilterOutputStream {
        private long count;

        CountingStream(OutputStream out) {
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
