package dev.spectra.local;

import java.nio.file.Path;

/** The checkout the tests run in: the build passes it; run from the module folder it is the parent. */
public final class TestRepository {

    private TestRepository() {}

    public static Path root() {
        return Path.of(System.getProperty("spectra.local.repository-root", "..")).toAbsolutePath().normalize();
    }
}
