package dev.spectra.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

/** Files holding secrets (passwords, bearer tokens): readable by their owner only, from the moment they exist. */
final class PrivateFiles {

    static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PrivateFiles() {}

    /** Replaces {@code file} with {@code document} as indented JSON, as {@link #write} does. */
    static void writeJson(Path file, Object document) throws IOException {
        write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
    }

    /**
     * Replaces {@code file} with {@code content}. The file is created with mode 0600 in the same call that
     * creates it, never written first and restricted after, so no other user can open it even briefly.
     */
    static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        // a file left by a crashed run may carry other permissions; a new one gets exactly ours
        Files.deleteIfExists(file);
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
        try (SeekableByteChannel channel = Files.newByteChannel(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly)) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }
}
