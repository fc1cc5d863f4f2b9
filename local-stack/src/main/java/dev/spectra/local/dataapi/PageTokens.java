package dev.spectra.local.dataapi;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque NextToken values. A result token names its statement and the next page; a list token names
 * the sequence number below which the next page starts, so statements submitted meanwhile do not shift it.
 */
final class PageTokens {

    private static final String RESULT_PREFIX = "result:";
    private static final String LIST_PREFIX = "list:";

    private PageTokens() {}

    static String resultToken(String statementId, int nextPage) {
        return encode(RESULT_PREFIX + statementId + "/" + nextPage);
    }

    /** The page the token points at; a ValidationException when it is not a token for this statement. */
    static int resultOffset(String token, String statementId, int lastPage) {
        String decoded = decode(token);
        String expectedPrefix = RESULT_PREFIX + statementId + "/";
        if (decoded == null || !decoded.startsWith(expectedPrefix)) {
            throw invalid();
        }
        int offset = parse(decoded.substring(expectedPrefix.length()));
        if (offset < 0 || offset > lastPage) {
            throw invalid();
        }
        return offset;
    }

    static String listToken(long beforeSequence) {
        return encode(LIST_PREFIX + beforeSequence);
    }

    static long listBeforeSequence(String token) {
        String decoded = decode(token);
        if (decoded == null || !decoded.startsWith(LIST_PREFIX)) {
            throw invalid();
        }
        try {
            return Long.parseLong(decoded.substring(LIST_PREFIX.length()));
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    private static int parse(String number) {
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    private static String encode(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static DataApiException invalid() {
        return DataApiException.validation("The NextToken is invalid. Use the token from the previous response.");
    }
}
