package dev.spectra.local.dataapi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** The folder of the emulator's result files: owner-only, emptied and (if the emulator made it) removed on close. */
final class ResultSpoolDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResultSpoolDirectory.class);

    private final Path path;
    private final boolean temporary;

    private ResultSpoolDirectory(Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    /** @param configured the folder to use, or null for a temporary one */
    static ResultSpoolDirectory create(Path configured) {
        try {
            if (configured == null) {
                return new ResultSpoolDirectory(Files.createTempDirectory("spectra-data-api-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))), true);
            }
            Files.createDirectories(configured);
            return new ResultSpoolDirectory(configured, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the result spool directory", e);
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder())
                    .filter(file -> temporary || !file.equals(path))
                    .forEach(file -> {
                        try {
                            Files.deleteIfExists(file);
                        } catch (IOException e) {
                            log.warn("Could not remove {}: {}", file, e.toString());
                        }
                    });
        } catch (IOException e) {
            log.warn("Could not clean {}: {}", path, e.toString());
        }
    }
}
