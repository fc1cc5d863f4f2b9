package dev.spectra.deploy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The sets the checks run on: the base as written, and each overlay as kubectl renders it (skipped without kubectl). */
final class ManifestSets {

    static final String BASE = "k8s/base";
    static final String LOCAL = "k8s/overlays/local";
    static final String AWS = "k8s/overlays/aws";

    private static final Map<String, Manifests> LOADED = new ConcurrentHashMap<>();

    private ManifestSets() {
    }

    /** For {@code @MethodSource}: every set. */
    static Stream<String> all() {
        return Stream.of(BASE, LOCAL, AWS);
    }

    /** For {@code @MethodSource}: the overlays. */
    static Stream<String> overlays() {
        return Stream.of(LOCAL, AWS);
    }

    static Manifests load(String set) {
        if (!set.equals(BASE)) {
            assumeTrue(Kustomize.kubectl().isPresent(), "kubectl is not on the PATH: " + set + " is not rendered, nor checked");
        }
        return LOADED.computeIfAbsent(set, name -> name.equals(BASE) ? Manifests.ofDirectory(BASE) : Manifests.rendered(name));
    }
}
