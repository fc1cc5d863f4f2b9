package dev.spectra.gateway.results;

import dev.spectra.common.result.ResultLocation;
import dev.spectra.common.result.ResultManifest;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * The results bucket as the gateway uses it. Callers check that a location lies under its job's prefix before
 * asking; this interface reads whatever it is given.
 */
public interface ResultObjects {

    /**
     * The manifest at {@code location}. Fails with {@link ObjectMissingException} when there is no such object,
     * {@link UnreadableManifestException} when it is too large or not a manifest, and any other error when the
     * bucket could not answer.
     */
    Mono<ResultManifest> manifest(ResultLocation location);

    /**
     * The object's bytes as the bucket sends them, never held whole. Fails before the first buffer when the
     * object cannot be read at all ({@link ObjectMissingException} when there is none), so that such a
     * failure can still be answered with a problem.
     */
    Flux<DataBuffer> content(ResultLocation location);

    /**
     * A presigned GET of {@code location}, valid for {@code ttl} from now. Makes no call, but may block while the
     * credentials are refreshed: call it off the event loop.
     */
    SignedLink sign(ResultLocation location, Duration ttl);

    /** The bucket has no object at the location: its lifecycle rule may have removed it. */
    final class ObjectMissingException extends RuntimeException {
        public ObjectMissingException(ResultLocation location, Throwable cause) {
            super("no object at " + location, cause);
        }
    }

    /** The manifest is larger than the gateway reads, or is not a manifest. */
    final class UnreadableManifestException extends RuntimeException {
        public UnreadableManifestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
