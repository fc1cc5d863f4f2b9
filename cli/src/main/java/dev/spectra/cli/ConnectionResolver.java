package dev.spectra.cli;

import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Decides the gateway, tenant and token, each from the first of: its flag, its environment variable
 * ({@code SPECTRA_GATEWAY}, {@code SPECTRA_TENANT}, {@code SPECTRA_TOKEN}), the local stack's {@code tenants.json}.
 * The file is read only when something is still missing, so a remote gateway never depends on it.
 */
final class ConnectionResolver {

    static final String GATEWAY_VARIABLE = "SPECTRA_GATEWAY";
    static final String TENANT_VARIABLE = "SPECTRA_TENANT";
    static final String TOKEN_VARIABLE = "SPECTRA_TOKEN";
    /** Where the local stack writes its file, relative to the repository root; the script passes the absolute path. */
    static final Path DEFAULT_LOCAL_STATE = Path.of(".spectra", "local", "tenants.json");

    private final Map<String, String> environment;
    private final JsonMapper json;

    ConnectionResolver(Map<String, String> environment, JsonMapper json) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.json = requireNonNull(json, "json is null");
    }

    Connection resolve(QueryOptions options) {
        Path localStatePath = options.localState() == null ? DEFAULT_LOCAL_STATE : options.localState();
        LocalState local = new LocalState(localStatePath);

        URI gateway = options.gateway() != null ? options.gateway()
                : variable(GATEWAY_VARIABLE).map(value -> Connection.gatewayUrl(value, GATEWAY_VARIABLE))
                .orElseGet(() -> local.file()
                        .orElseThrow(() -> missing("gateway", "--gateway URL or set " + GATEWAY_VARIABLE, localStatePath))
                        .gateway());

        String tenant = options.tenant() != null ? options.tenant()
                : variable(TENANT_VARIABLE).orElseGet(() -> local.file()
                .orElseThrow(() -> missing("tenant", "--tenant ID or set " + TENANT_VARIABLE, localStatePath))
                .tenants().stream().findFirst()
                .orElseThrow(() -> new UsageException("no tenant: " + localStatePath + " lists none; pass --tenant ID"))
                .id());

        String token = options.token() != null ? options.token()
                : variable(TOKEN_VARIABLE).orElseGet(() -> {
            LocalTenantsFile file = local.file()
                    .orElseThrow(() -> missing("token", "--token TOKEN or set " + TOKEN_VARIABLE, localStatePath));
            return file.tenant(tenant).orElseThrow(() -> new UsageException("no token for tenant '" + tenant + "': "
                    + file.path() + " lists " + file.tenants().stream().map(LocalTenantsFile.Tenant::id)
                    .collect(Collectors.joining(", ")) + "; pass --token TOKEN or set " + TOKEN_VARIABLE)).token();
        });
        return new Connection(gateway, tenant, token);
    }

    private Optional<String> variable(String name) {
        return Optional.ofNullable(environment.get(name)).filter(value -> !value.isBlank());
    }

    private static UsageException missing(String what, String remedy, Path localState) {
        return new UsageException("no " + what + ": pass " + remedy + ", or start the local stack with ./spectra local ("
                + localState + " not found)");
    }

    /** The local file, read at most once and only when asked for. */
    private final class LocalState {
        private final Path path;
        private Optional<LocalTenantsFile> file;

        LocalState(Path path) {
            this.path = path;
        }

        Optional<LocalTenantsFile> file() {
            if (file == null) {
                file = LocalTenantsFile.read(path, json);
            }
            return file;
        }
    }
}
