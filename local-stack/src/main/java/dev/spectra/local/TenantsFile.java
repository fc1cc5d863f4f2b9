package dev.spectra.local;

import dev.spectra.common.tenant.TenantId;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo tenants' tokens for clients ({@code ./spectra query} reads it): {@code {"gateway": url, "tenants": [{"id",
 * "token"}, ...]}}, written by {@code ./spectra local} ({@code .spectra/local/tenants.json}) and by the compose setup's
 * init alike. It holds bearer tokens, so it is private from the moment it exists.
 */
final class TenantsFile {

    private TenantsFile() {}

    /** Replaces {@code file} with the gateway's address and each tenant's token, in {@code tokens}' order. */
    static void write(Path file, String gateway, Map<TenantId, String> tokens) throws IOException {
        List<Map<String, String>> tenants = new ArrayList<>();
        tokens.forEach((tenant, token) -> {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("id", tenant.value());
            entry.put("token", token);
            tenants.add(entry);
        });
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("gateway", gateway);
        document.put("tenants", tenants);
        PrivateFiles.writeJson(file, document);
    }
}
