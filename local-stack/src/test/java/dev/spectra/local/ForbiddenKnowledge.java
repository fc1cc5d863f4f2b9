package dev.spectra.local;

import dev.spectra.common.tenant.Tenant;
import dev.spectra.common.tenant.TenantTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one tenant must never learn about the others, read from the running stack (never hard-coded,
 * so it holds once database users become opaque): the other tenants' ids and database users, every
 * warehouse password, and every number that only a view across tenants could produce (row counts of
 * other tenants or of several tenants together, and the physical sizes of the shared table).
 */
final class ForbiddenKnowledge {

    private static final Pattern INTEGER = Pattern.compile("(?<![0-9A-Za-z_.])([0-9]+)(?:\\.0+)?(?![0-9A-Za-z_])");

    private final String tenant;
    private final Map<String, String> databaseUsersByTenant;
    /** Text that must not appear, mapped to what it is, for the report. */
    private final Map<String, String> forbiddenText;
    private final Map<Long, String> forbiddenNumbers;

    private ForbiddenKnowledge(String tenant, Map<String, String> databaseUsersByTenant,
                               Map<String, String> forbiddenText, Map<Long, String> forbiddenNumbers) {
        this.tenant = tenant;
        this.databaseUsersByTenant = Map.copyOf(databaseUsersByTenant);
        this.forbiddenText = Map.copyOf(forbiddenText);
        this.forbiddenNumbers = Map.copyOf(forbiddenNumbers);
    }

    /** What {@code tenant} must not learn on {@code stack}. */
    static ForbiddenKnowledge of(String tenant, LocalStack stack, List<Path> administratorFileFolders) {
        Map<String, String> users = databaseUsersByTenant(stack.dynamoDbEndpoint());
        Map<String, String> text = new LinkedHashMap<>();
        users.forEach((id, user) -> {
            if (!id.equals(tenant)) {
                forbid(text, id, "tenant id of " + id);
                forbid(text, user, "database user of " + id);
            }
        });
        stack.warehouse().passwordsByDatabaseUser().forEach((user, password) -> forbid(text, password, "password of " + user));
        administratorPasswords(administratorFileFolders)
                .forEach(password -> forbid(text, password, "warehouse administrator password"));
        return new ForbiddenKnowledge(tenant, users, text, crossTenantNumbers(tenant, stack.warehouse().administratorDataSource()));
    }

    /** Every tenant's database user, as the registry has it: the one source that stays right when names become opaque. */
    static Map<String, String> databaseUsersByTenant(URI dynamoDbEndpoint) {
        Map<String, String> users = new TreeMap<>();
        try (DynamoDbClient dynamoDb = LocalAws.dynamoDb(dynamoDbEndpoint)) {
            dynamoDb.scanPaginator(ScanRequest.builder().tableName(TenantTable.DEFAULT_NAME).build()).items().forEach(item -> {
                Tenant entry = TenantTable.fromItem(item);
                users.put(entry.id().value(), entry.databaseUser());
            });
        }
        return users;
    }

    String databaseUserOf(String tenantId) {
        return databaseUsersByTenant.get(tenantId);
    }

    /** The names and passwords {@code text} reveals, ignoring any the statement itself spelled out (messages may quote it back). */
    List<String> namesIn(String text, String sql) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        String haystack = text.toLowerCase(Locale.ROOT);
        String statement = sql.toLowerCase(Locale.ROOT);
        List<String> leaks = new ArrayList<>();
        forbiddenText.forEach((secret, meaning) -> {
            String needle = secret.toLowerCase(Locale.ROOT);
            if (haystack.contains(needle) && !statement.contains(needle)) {
                leaks.add(meaning + " (\"" + secret + "\")");
            }
        });
        return leaks;
    }

    /** The cross-tenant counts and sizes written as integers in {@code text}, ignoring numbers the statement itself contains. */
    List<String> numbersIn(String text, String sql) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        Set<Long> numbersInStatement = integersIn(sql);
        List<String> leaks = new ArrayList<>();
        for (long number : integersIn(text)) {
            String meaning = forbiddenNumbers.get(number);
            if (meaning != null && !numbersInStatement.contains(number)) {
                leaks.add(meaning + " (" + number + ")");
            }
        }
        return leaks;
    }

    /** Both of the above. */
    List<String> leaksIn(String text, String sql) {
        List<String> leaks = new ArrayList<>(namesIn(text, sql));
        leaks.addAll(numbersIn(text, sql));
        return leaks;
    }

    boolean isForbiddenNumber(long number) {
        return forbiddenNumbers.containsKey(number);
    }

    Map<Long, String> forbiddenNumbers() {
        return forbiddenNumbers;
    }

    private static Set<Long> integersIn(String text) {
        Set<Long> numbers = new LinkedHashSet<>();
        Matcher matcher = INTEGER.matcher(text);
        while (matcher.find()) {
            String digits = matcher.group(1);
            if (digits.length() <= 18) {
                numbers.add(Long.parseLong(digits));
            }
        }
        return numbers;
    }

    /** The secret and the encodings a query can cheaply produce: hex, base64, reversed. */
    private static void forbid(Map<String, String> text, String secret, String meaning) {
        if (secret == null || secret.isBlank()) {
            return;
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        text.put(secret, meaning);
        text.put(HexFormat.of().formatHex(bytes), meaning + ", hex-encoded");
        text.put(Base64.getEncoder().withoutPadding().encodeToString(bytes), meaning + ", base64-encoded");
        if (secret.length() >= 6) {
            text.put(new StringBuilder(secret).reverse().toString(), meaning + ", reversed");
        }
    }

    /**
     * Row counts of every set of tenants that includes another tenant, and the sizes of the shared
     * {@code sales} table and its index: each answers "how much data do the others have".
     */
    private static Map<Long, String> crossTenantNumbers(String tenant, DataSource administrator) {
        Map<String, Long> rowsByTenant = new TreeMap<>();
        Map<Long, String> numbers = new LinkedHashMap<>();
        try (Connection connection = administrator.getConnection(); Statement sql = connection.createStatement()) {
            try (ResultSet rows = sql.executeQuery("SELECT tenant_id, count(*) FROM sales GROUP BY tenant_id")) {
                while (rows.next()) {
                    rowsByTenant.put(rows.getString(1), rows.getLong(2));
                }
            }
            try (ResultSet sizes = sql.executeQuery("""
                    SELECT pg_relation_size('sales'), pg_total_relation_size('sales'), pg_table_size('sales'),
                           pg_indexes_size('sales'), pg_relation_size('sales_pkey')""")) {
                sizes.next();
                for (int column = 1; column <= 5; column++) {
                    long bytes = sizes.getLong(column);
                    if (bytes > 0) {
                        numbers.putIfAbsent(bytes, "size of the shared sales table in bytes");
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the seeded counts", e);
        }
        List<String> tenants = List.copyOf(rowsByTenant.keySet());
        for (int subset = 1; subset < 1 << tenants.size(); subset++) {
            long rows = 0;
            boolean includesAnother = false;
            List<String> members = new ArrayList<>();
            for (int index = 0; index < tenants.size(); index++) {
                if ((subset & 1 << index) != 0) {
                    rows += rowsByTenant.get(tenants.get(index));
                    members.add(tenants.get(index));
                    includesAnother |= !tenants.get(index).equals(tenant);
                }
            }
            if (includesAnother) {
                numbers.putIfAbsent(rows, "row count of " + String.join("+", members));
            }
        }
        // the tenant's own count is its to know, even where it coincides with a size
        numbers.remove(rowsByTenant.getOrDefault(tenant, -1L));
        return numbers;
    }

    /** Any password in a {@code warehouse-admin.json} the stack wrote (the hardened warehouse writes one). */
    private static List<String> administratorPasswords(List<Path> roots) {
        List<String> passwords = new ArrayList<>();
        for (Path root : roots) {
            if (root == null || !Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.find(root, 4, (path, attributes) -> path.getFileName().toString().equals("warehouse-admin.json"))) {
                for (Path file : files.toList()) {
                    collectPasswords(GatewayClient.JSON.readTree(Files.readString(file)), passwords);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return passwords;
    }

    private static void collectPasswords(JsonNode node, List<String> passwords) {
        node.properties().forEach(field -> {
            if (field.getValue().isString() && field.getKey().toLowerCase(Locale.ROOT).contains("password")) {
                passwords.add(field.getValue().asString());
            } else if (field.getValue().isObject()) {
                collectPasswords(field.getValue(), passwords);
            }
        });
    }
}
