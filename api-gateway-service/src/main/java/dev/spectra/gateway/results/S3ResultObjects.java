package dev.spectra.gateway.results;

import dev.spectra.common.result.ResultLocation;
import dev.spectra.common.result.ResultManifest;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import static java.util.Objects.requireNonNull;

/**
 * The results bucket through the SDK's async client and its presigner. Objects are read as the SDK's publisher
 * of byte buffers, which follows the subscriber's demand: a chunk streams to the client as fast as the client
 * takes it, and a manifest is read only up to {@code maxManifestBytes}.
 */
public final class S3ResultObjects implements ResultObjects {

    private final S3AsyncClient s3;
    private final S3Presigner presigner;
    private final JsonMapper jsonMapper;
    private final int maxManifestBytes;

    public S3ResultObjects(S3AsyncClient s3, S3Presigner presigner, JsonMapper jsonMapper, int maxManifestBytes) {
        this.s3 = requireNonNull(s3, "s3 is null");
        this.presigner = requireNonNull(presigner, "presigner is null");
        this.jsonMapper = requireNonNull(jsonMapper, "jsonMapper is null");
        if (maxManifestBytes < 1) {
            throw new IllegalArgumentException("maxManifestBytes must be positive: " + maxManifestBytes);
        }
        this.maxManifestBytes = maxManifestBytes;
    }

    @Override
    public Mono<ResultManifest> manifest(ResultLocation location) {
        return open(location).flatMap(publisher -> {
            Long length = publisher.response().contentLength();
            if (length != null && length > maxManifestBytes) {
                discard(publisher);
                return Mono.error(new UnreadableManifestException(
                        "manifest " + location + " is " + length + " bytes, more than the " + maxManifestBytes + " read", null));
            }
            return DataBufferUtils.join(buffers(publisher), maxManifestBytes)
                    .onErrorMap(DataBufferLimitException.class, e -> new UnreadableManifestException(
                            "manifest " + location + " is more than the " + maxManifestBytes + " bytes read", e))
                    .map(buffer -> parse(location, buffer))
                    .switchIfEmpty(Mono.error(() -> new UnreadableManifestException("manifest " + location + " is empty", null)));
        });
    }

    @Override
    public Flux<DataBuffer> content(ResultLocation location) {
        return open(location).flatMapMany(S3ResultObjects::buffers);
    }

    @Override
    public SignedLink sign(ResultLocation location, Duration ttl) {
        PresignedGetObjectRequest presigned = presigner.presignGetObject(presign -> presign
                .signatureDuration(ttl)
                .getObjectRequest(request(location)));
        try {
            // X-Amz-Date is in whole seconds: the link stops working that second plus X-Amz-Expires, not a fraction later
            return new SignedLink(presigned.url().toURI(), presigned.expiration().truncatedTo(ChronoUnit.SECONDS));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the presigner made a URL that is not a URI", e);
        }
    }

    /** Completes once S3 has answered with the object's headers; its bytes follow on the publisher. */
    private Mono<ResponsePublisher<GetObjectResponse>> open(ResultLocation location) {
        return Mono.fromFuture(() -> s3.getObject(request(location), AsyncResponseTransformer.toPublisher()))
                .onErrorMap(NoSuchKeyException.class, e -> new ObjectMissingException(location, e));
    }

    private static GetObjectRequest request(ResultLocation location) {
        return GetObjectRequest.builder().bucket(location.bucket()).key(location.key()).build();
    }

    /** The SDK hands over each buffer it received (a copy of the network buffer): wrapping it copies nothing more. */
    private static Flux<DataBuffer> buffers(ResponsePublisher<GetObjectResponse> publisher) {
        return Flux.from(publisher).map(S3ResultObjects::wrap);
    }

    private static DataBuffer wrap(ByteBuffer bytes) {
        return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
    }

    /** Cancels the body unread, so the connection is released rather than drained. */
    private static void discard(ResponsePublisher<GetObjectResponse> publisher) {
        publisher.subscribe(new BaseSubscriber<ByteBuffer>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                cancel();
            }
        });
    }

    private ResultManifest parse(ResultLocation location, DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return jsonMapper.readValue(bytes, ResultManifest.class);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new UnreadableManifestException("manifest " + location + " is not a result manifest: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
