package dev.spectra.local.dataapi;

import static java.util.Objects.requireNonNull;

/**
 * An ExecuteStatement ClientToken as the service keys it: per caller, so that two callers who happen to
 * pick the same token do not share a statement. The emulator checks no signatures; the caller is the
 * access key id the request was signed with.
 */
record ClientToken(String caller, String token) {

    ClientToken {
        requireNonNull(caller, "caller is null");
        requireNonNull(token, "token is null");
    }
}
