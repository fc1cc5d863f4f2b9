package dev.spectra.cli;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The {@code tenants.json} that {@code ./spectra local} writes while it runs:
 * {@code {"gateway": "http://localhost:8080", "tenants": [{"id": "acme", "token": "..."}, ...]}}.
 */
record LocalTenantsFile(Path path, URI gateway, List<Tenant> tenants) {

    /** One demo tenant and its bearer token, which {@link #toString()} leaves out. */
    record Tenant(String id, String token) {
        Tenant {
            requireNonNull(id, "id is null");
            requireNonNull(token, "token is null");
        }

        @Override
        public String toString() {
            return "Tenant[id=" + id + ", token=(hidden)]";
        }
    }

    LocalTenantsFile {
        requireNonNull(path, "path is null");
        requireNonNull(gateway, "gateway is null");
        tenants = List.copyOf(tenants);
    }

    /** The file, or empty when there is none (the local stack is not running). */
    static Optional<LocalTenantsFile> read(Path path, JsonMapper json) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UsageException("cannot read " + path + ": " + e.getClass().getSimpleName());
        }
        // The parser's messages quote the text near a mistake, which may be a token: say only where the file is.
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JacksonException e) {
            throw notTheLocalStacksFile(path);
        }
        JsonNode gateway = root.path("gateway");
        JsonNode tenants = root.path("tenants");
        if (!gateway.isString() || !tenants.isArray()) {
            throw notTheLocalStacksFile(path);
        }
        List<Tenant> entries = new ArrayList<>();
        for (JsonNode tenant : tenants) {
            if (!tenant.path("id").isString() || !tenant.path("token").isString()) {
                throw notTheLocalStacksFile(path);
            }
            entries.add(new Tenant(tenant.get("id").stringValue(), tenant.get("token").stringValue()));
        }
        return Optional.of(new LocalTenantsFile(path, Connection.gatewayUrl(gateway.stringValue(), path.toString()), entries));
    }

    Optional<Tenant> tenant(String id) {
        return tenants.stream().filter(tenant -> tenant.id().equals(id)).findFirst();
    }

    private static UsageException notTheLocalStacksFile(Path path) {
        return new UsageException(path + " is not the tenants file ./spectra local writes");
    }
}
