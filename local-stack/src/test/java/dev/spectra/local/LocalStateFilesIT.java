package dev.spectra.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The files {@code ./spectra local} writes hold bearer tokens and passwords: only their owner may read them. */
class LocalStateFilesIT {

    private static final Set<PosixFilePermission> OWNER_ONLY = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    @Test
    void theLaunchersTokenAndPasswordFilesAreReadableOnlyByTheirOwner() throws Exception {
        Path root = TestRepository.root();
        Path launcher = Path.of(System.getProperty("spectra.local.launcher-jar", "target/spectra-local.jar"));
        Path state = root.resolve("local-stack/target/state-files-it-stack");
        Files.createDirectories(state);
        Path output = state.resolve("launcher-output.log");
        Path tenantsFile = state.resolve("tenants.json");
        Process process = new ProcessBuilder(ChildProcess.javaExecutable(), "--enable-native-access=ALL-UNNAMED",
                "-Dspectra.local.repository-root=" + root,
                "-Dspectra.local.state-directory=" + state,
                "-jar", launcher.toString(), "--port", Integer.toString(FreePorts.next()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(150)).until(() -> !process.isAlive() || Files.exists(tenantsFile));
            assertThat(process.isAlive()).as("launcher output:%n%s", Files.readString(output)).isTrue();

            assertThat(Files.getPosixFilePermissions(tenantsFile)).as("permissions of %s", tenantsFile).isEqualTo(OWNER_ONLY);
            try (Stream<Path> files = Files.find(state, 3, (path, attributes) -> path.getFileName().toString().equals("warehouse-admin.json"))) {
                for (Path adminFile : files.toList()) {
                    assertThat(Files.getPosixFilePermissions(adminFile)).as("permissions of %s", adminFile).isEqualTo(OWNER_ONLY);
                }
            }
        } finally {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                List<ProcessHandle> children = process.descendants().toList();
                children.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }
}
