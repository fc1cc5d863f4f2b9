package dev.spectra.gateway.jobs;

import dev.spectra.gateway.problem.ProblemException;
import dev.spectra.gateway.problem.Problems;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A client's {@code Idempotency-Key}, kept only as its SHA-256: the key may be anything the client chose, and the
 * job table never holds it. Keys are scoped per tenant by where they are stored (the tenant's partition).
 */
public record IdempotencyKey(String hash) {

    public static final String HEADER = "Idempotency-Key";
    /** 1 to 255 visible ASCII characters, as the IETF draft and Stripe allow. */
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7E]{1,255}");

    /** The request's key; empty without the header; a 400 for a malformed or repeated one. */
    static Optional<IdempotencyKey> of(java.util.List<String> headerValues) {
        if (headerValues == null || headerValues.isEmpty()) {
            return Optional.empty();
        }
        if (headerValues.size() > 1 || !VALID.matcher(headerValues.getFirst()).matches()) {
            throw new ProblemException(Problems.requestInvalid("Header '" + HEADER + "' must be one value of 1 to 255 visible "
                    + "ASCII characters."));
        }
        return Optional.of(new IdempotencyKey(sha256(headerValues.getFirst())));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The key itself never reaches logs; its hash's first characters are enough to find it in the table. */
    @Override
    public String toString() {
        return "IdempotencyKey[" + hash.substring(0, 12) + "...]";
    }
}
