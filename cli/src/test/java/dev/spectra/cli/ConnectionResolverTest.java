package dev.spectra.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionResolverTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String LOCAL_FILE = """
            {
              "gateway" : "http://localhost:8080",
              "tenants" : [ { "id" : "acme", "token" : "acme-local-token" }, { "id" : "globex", "token" : "globex-local-token" } ]
            }""";

    @TempDir
    Path directory;

    private Path localFile() throws IOException {
        return Files.writeString(directory.resolve("tenants.json"), LOCAL_FILE);
    }

    private QueryOptions options(Path localState, String... arguments) {
        List<String> all = new ArrayList<>(List.of(arguments));
        all.addAll(List.of("--local-state", localState.toString(), "SELECT 1"));
        return QueryOptions.parse(all);
    }

    @Test
    void theLocalStacksFileGivesTheGatewayAndTheFirstTenantWithItsToken() throws IOException {
        Connection connection = new ConnectionResolver(Map.of(), JSON).resolve(options(localFile()));

        assertThat(connection).isEqualTo(new Connection(URI.create("http://localhost:8080"), "acme", "acme-local-token"));
    }

    @Test
    void aTenantFlagPicksThatTenantsTokenFromTheFile() throws IOException {
        Connection connection = new ConnectionResolver(Map.of(), JSON).resolve(options(localFile(), "--tenant", "globex"));

        assertThat(connection.tenant()).isEqualTo("globex");
        assertThat(connection.token()).isEqualTo("globex-local-token");
    }

    @Test
    void environmentVariablesComeBeforeTheFile() throws IOException {
        Map<String, String> environment = Map.of("SPECTRA_GATEWAY", "https://spectra.example.com/", "SPECTRA_TENANT", "globex",
                "SPECTRA_TOKEN", "env-token");

        Connection connection = new ConnectionResolver(environment, JSON).resolve(options(localFile()));

        assertThat(connection).isEqualTo(new Connection(URI.create("https://spectra.example.com"), "globex", "env-token"));
    }

    @Test
    void flagsComeBeforeTheEnvironment() throws IOException {
        Map<String, String> environment = Map.of("SPECTRA_GATEWAY", "https://spectra.example.com", "SPECTRA_TENANT", "globex",
                "SPECTRA_TOKEN", "env-token");

        Connection connection = new ConnectionResolver(environment, JSON)
                .resolve(options(localFile(), "--gateway", "http://127.0.0.1:9000", "--tenant", "acme", "--token", "flag-token"));

        assertThat(connection).isEqualTo(new Connection(URI.create("http://127.0.0.1:9000"), "acme", "flag-token"));
    }

    @Test
    void anEnvironmentTenantTakesItsTokenFromTheFileWhenNoTokenIsGiven() throws IOException {
        Connection connection = new ConnectionResolver(Map.of("SPECTRA_TENANT", "globex"), JSON).resolve(options(localFile()));

        assertThat(connection.token()).isEqualTo("globex-local-token");
    }

    @Test
    void everythingGivenNeedsNoFile() {
        Connection connection = new ConnectionResolver(Map.of(), JSON).resolve(options(directory.resolve("absent.json"),
                "--gateway", "http://gw", "--tenant", "acme", "--token", "t"));

        assertThat(connection.gateway()).isEqualTo(URI.create("http://gw"));
    }

    @Test
    void withoutFlagsVariablesOrFileItSaysWhatToPass() {
        Path absent = directory.resolve("absent.json");

        assertThatThrownBy(() -> new ConnectionResolver(Map.of(), JSON).resolve(options(absent)))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("no gateway").hasMessageContaining("--gateway").hasMessageContaining("./spectra local");
        assertThatThrownBy(() -> new ConnectionResolver(Map.of(), JSON).resolve(options(absent, "--gateway", "http://gw", "--tenant", "acme")))
                .isInstanceOf(UsageException.class).hasMessageContaining("no token").hasMessageContaining("SPECTRA_TOKEN");
        assertThatThrownBy(() -> new ConnectionResolver(Map.of(), JSON).resolve(options(absent, "--gateway", "http://gw", "--token", "t")))
                .isInstanceOf(UsageException.class).hasMessageContaining("no tenant").hasMessageContaining("--tenant");
    }

    @Test
    void aTenantTheFileDoesNotListIsRefusedNamingTheOnesItDoesWithoutTheirTokens() throws IOException {
        assertThatThrownBy(() -> new ConnectionResolver(Map.of(), JSON).resolve(options(localFile(), "--tenant", "initech")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("'initech'").hasMessageContaining("acme, globex")
                .message().doesNotContain("acme-local-token").doesNotContain("globex-local-token");
    }

    @Test
    void aMalformedFileIsRefusedWithoutQuotingItsContent() throws IOException {
        Path broken = Files.writeString(directory.resolve("tenants.json"), "{\"tenants\": [{\"id\": \"acme\", \"token\": \"leaked-tok");

        assertThatThrownBy(() -> new ConnectionResolver(Map.of(), JSON).resolve(options(broken)))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("is not the tenants file")
                .message().doesNotContain("leaked-tok");
    }

    @Test
    void theFileIsReadAsTheLocalStackWritesIt() throws IOException {
        LocalTenantsFile file = LocalTenantsFile.read(localFile(), JSON).orElseThrow();

        assertThat(file.gateway()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(file.tenants()).extracting(LocalTenantsFile.Tenant::id).containsExactly("acme", "globex");
        assertThat(file.tenant("globex")).map(LocalTenantsFile.Tenant::token).contains("globex-local-token");
        assertThat(file.toString()).doesNotContain("acme-local-token");
        assertThat(LocalTenantsFile.read(directory.resolve("absent.json"), JSON)).isEmpty();
    }

    @Test
    void aConnectionNeverShowsItsToken() {
        assertThat(new Connection(URI.create("http://gw"), "acme", "s3cr3t").toString()).doesNotContain("s3cr3t");
    }
}
