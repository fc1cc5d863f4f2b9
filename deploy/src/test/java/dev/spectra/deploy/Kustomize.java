package dev.spectra.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code kubectl kustomize}, when kubectl is on the PATH. */
final class Kustomize {

    private static final long TIMEOUT_SECONDS = 30;

    private Kustomize() {
    }

    static Optional<Path> kubectl() {
        return Programs.onPath("kubectl");
    }

    /** The overlay's rendered manifests; fails with kubectl's own message when it exits non-zero. */
    static String render(String overlay) {
        Path kubectl = kubectl().orElseThrow(() -> new IllegalStateException("kubectl is not on the PATH"));
        try {
            Path errors = Files.createTempFile("kustomize", ".err");
            try {
                Process process = new ProcessBuilder(kubectl.toString(), "kustomize", Repository.path(overlay).toString())
                        .redirectError(errors.toFile())
                        .start();
                byte[] output = process.getInputStream().readAllBytes();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("kubectl kustomize " + overlay + " took more than " + TIMEOUT_SECONDS + " s");
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError("kubectl kustomize " + overlay + " exited " + process.exitValue() + ": " + Files.readString(errors));
                }
                return new String(output, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + overlay, e);
        }
    }
}
