package dev.spectra.gateway.results;

import dev.spectra.common.result.ResultLocation;
import dev.spectra.common.result.ResultManifest;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The results bucket in a map. Content comes out in small pieces, as a network would hand it over; switches make
 * every read fail or never answer; every read and signature is recorded.
 */
public final class InMemoryResultObjects implements ResultObjects {

    /** Bytes per buffer handed out: small, so that every answer is put together from many pieces. */
    private static final int PIECE = 7;

    private final Clock clock;
    private final Map<ResultLocation, ResultManifest> manifests = new ConcurrentHashMap<>();
    private final Map<ResultLocation, byte[]> objects = new ConcurrentHashMap<>();
    private final List<ResultLocation> reads = new CopyOnWriteArrayList<>();
    private final List<ResultLocation> signed = new CopyOnWriteArrayList<>();
    private final List<Duration> signedFor = new CopyOnWriteArrayList<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final AtomicBoolean hanging = new AtomicBoolean();

    public InMemoryResultObjects(Clock clock) {
        this.clock = clock;
    }

    public void reset() {
        manifests.clear();
        objects.clear();
        reads.clear();
        signed.clear();
        signedFor.clear();
        failure.set(null);
        hanging.set(false);
    }

    public InMemoryResultObjects withManifest(ResultLocation location, ResultManifest manifest) {
        manifests.put(location, manifest);
        return this;
    }

    public InMemoryResultObjects withObject(ResultLocation location, String content) {
        objects.put(location, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** The object is gone, as a lifecycle rule removes it. */
    public InMemoryResultObjects withoutObject(ResultLocation location) {
        objects.remove(location);
        return this;
    }

    /** Every read fails with {@code error}. */
    public void failWith(RuntimeException error) {
        failure.set(error);
    }

    /** Every read waits forever. */
    public void hang() {
        hanging.set(true);
    }

    /** Every location read, manifests and content alike, in order. */
    public List<ResultLocation> reads() {
        return List.copyOf(reads);
    }

    public List<ResultLocation> signed() {
        return List.copyOf(signed);
    }

    public List<Duration> signedFor() {
        return List.copyOf(signedFor);
    }

    @Override
    public Mono<ResultManifest> manifest(ResultLocation location) {
        return Mono.defer(() -> {
            reads.add(location);
            if (hanging.get()) {
                return Mono.never();
            }
            if (failure.get() != null) {
                return Mono.error(failure.get());
            }
            ResultManifest manifest = manifests.get(location);
            return manifest == null ? Mono.error(new ObjectMissingException(location, null)) : Mono.just(manifest);
        });
    }

    @Override
    public Flux<DataBuffer> content(ResultLocation location) {
        return Flux.defer(() -> {
            reads.add(location);
            if (hanging.get()) {
                return Flux.never();
            }
            if (failure.get() != null) {
                return Flux.error(failure.get());
            }
            byte[] bytes = objects.get(location);
            if (bytes == null) {
                return Flux.error(new ObjectMissingException(location, null));
            }
            List<DataBuffer> pieces = new ArrayList<>();
            for (int at = 0; at < bytes.length; at += PIECE) {
                byte[] piece = Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + PIECE));
                pieces.add(DefaultDataBufferFactory.sharedInstance.wrap(piece));
            }
            return Flux.fromIterable(pieces);
        });
    }

    @Override
    public SignedLink sign(ResultLocation location, Duration ttl) {
        signed.add(location);
        signedFor.add(ttl);
        return new SignedLink(URI.create("http://s3.test/" + location.bucket() + "/" + location.key() + "?X-Amz-Expires=" + ttl.toSeconds()),
                clock.instant().plus(ttl));
    }
}
