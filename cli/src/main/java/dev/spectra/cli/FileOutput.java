package dev.spectra.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file whole or not at all: into a temporary file beside it, moved over the target once complete. A run
 * that fails or is interrupted half-way leaves no half-written result that a script could take for the answer.
 */
final class FileOutput {

    /** The writing itself; may throw what writing throws. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException, InterruptedException;
    }

    private FileOutput() {}

    /** Writes {@code target} and answers its size in bytes. */
    static long write(Path target, Content content) throws IOException, InterruptedException {
        Path directory = target.toAbsolutePath().getParent();
        Path partial = Files.createTempFile(directory, "." + target.getFileName(), ".part");
        partial.toFile().deleteOnExit(); // Ctrl-C while writing
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
                content.writeTo(out);
            }
            try {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return Files.size(target);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Refuses, before anything is submitted, an {@code --out} whose folder does not exist or is not writable. */
    static void checkWritable(Path target) {
        Path directory = target.toAbsolutePath().getParent();
        if (Files.isDirectory(target)) {
            throw new UsageException("--out " + target + " is a directory; name a file");
        }
        if (directory == null || !Files.isDirectory(directory) || !Files.isWritable(directory)) {
            throw new UsageException("--out " + target + ": the folder " + directory + " does not exist or is not writable");
        }
    }
}
